// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Stemma",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Stemma", targets: ["Stemma"]),
        .library(name: "Collation", targets: ["Collation"]),
        .executable(name: "stemma", targets: ["stemma"]),
    ],
    dependencies: [
        // Command-line parsing for the `stemma` executable only (see docs/DESIGN.md).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C boundaries: module maps only. Nothing but Git/ and SQLite/ imports them.
        .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SHA-1 for object ids and pack checksums on the bulk path (see Sources/Git/SHA1.swift).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The only Swift that touches libgit2 (and zlib, and OpenSSL's SHA-1).
        .target(name: "Git", dependencies: ["CLibGit2", "CZlib", "CCrypto"]),
        // The only Swift that touches sqlite3.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // A JSON writer with a stable key order, shared by the library and the engine.
        .target(name: "JSON"),
        // The diff engine: pure Swift, no corpus, no C.
        .target(name: "Collation", dependencies: ["JSON"]),
        // Corpus, editions, metadata, references, index, import/export.
        .target(name: "Stemma", dependencies: ["Git", "SQLite", "Collation", "JSON"]),
        .executableTarget(name: "stemma", dependencies: [
            "Stemma", "Collation", "JSON",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "stemma-bench", dependencies: ["Stemma", "Collation", "TestSupport"], path: "Benchmarks/stemma-bench"),

        // Fuzz targets (Tests/Fuzz/run.sh builds them under libFuzzer; built normally they replay saved inputs).
        .target(name: "FuzzSupport", path: "Tests/Fuzz/support"),
        .executableTarget(name: "stemma-fuzz-collation", dependencies: ["Collation", "FuzzSupport"], path: "Tests/Fuzz/collation"),
        .executableTarget(name: "stemma-fuzz-manifest", dependencies: ["Stemma", "FuzzSupport"], path: "Tests/Fuzz/manifest"),

        // Temporary folders, processes and the shared sample texts, for every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitTests", dependencies: ["Git", "CLibGit2", "CZlib", "TestSupport"]),
        .testTarget(name: "CollationTests", dependencies: ["Collation", "TestSupport", "JSON"]),
        .testTarget(name: "StemmaTests", dependencies: ["Stemma", "Git", "SQLite", "TestSupport", "JSON"]),
        .testTarget(name: "CLITests", dependencies: ["stemma", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
