/// The example hooks shipped inside the binary, so `stemma hooks install` works from any copy of
/// it, with no files to find beside it (`stemma hooks show NAME` prints one). `Hooks/` at the top
/// of the project holds the same scripts as files to read and copy; `ShippedHooksTests` fails
/// when the two differ.
public enum ShippedHooks {
    public static func script(for event: HookEvent) -> String {
        switch event {
        case .preCommit: return preCommit
        case .postCommit: return postCommit
        case .postImport: return postImport
        }
    }

    static let preCommit = #"""
        #!/bin/sh
        # Example pre-commit hook: refuse editions that still carry editors' markers.
        # Install: stemma hooks install pre-commit
        # The text arrives on stdin; STEMMA_STORY, STEMMA_SOURCE, STEMMA_DATE, STEMMA_EDITION (and
        # STEMMA_TITLE, STEMMA_URL, STEMMA_DERIVED_FROM when set) describe it. Exit non-zero to refuse;
        # the first line on stderr is shown to the user.
        if grep -q -E '\[TK\]|\bTODO\b|XXX' ; then
          echo "edition $STEMMA_EDITION of $STEMMA_STORY still has an editor's marker ([TK], TODO or XXX)" >&2
          exit 1
        fi
        exit 0

        """#

    static let postCommit = #"""
        #!/bin/sh
        # Example post-commit hook: keep a plain-text journal of what was recorded, beside the corpus.
        # Install: stemma hooks install post-commit
        # Runs in the corpus folder with STEMMA_COMMIT set as well as the edition's metadata.
        printf '%s\t%s\t%s\t%s\t%s\n' "$STEMMA_DATE" "$STEMMA_STORY" "$STEMMA_SOURCE" "$STEMMA_EDITION" "$STEMMA_COMMIT" >> stemma-journal.tsv

        """#

    static let postImport = #"""
        #!/bin/sh
        # Example post-import hook: after a large import, let git tidy packs and write a commit-graph
        # with changed-path Bloom filters, so plain `git log -- PATH` stays fast on a big corpus.
        # Install: stemma hooks install post-import
        # STEMMA_IMPORTED, STEMMA_SKIPPED and STEMMA_FAILED carry the counts.
        [ "${STEMMA_IMPORTED:-0}" -gt 0 ] || exit 0
        git --git-dir . gc --auto --quiet
        git --git-dir . commit-graph write --reachable --changed-paths

        """#
}
