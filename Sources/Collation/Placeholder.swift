public enum CollationPlaceholder {}
