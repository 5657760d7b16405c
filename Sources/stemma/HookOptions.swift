import ArgumentParser
import Foundation
import Stemma

/// `--hook-timeout`, for every command that runs hooks.
struct HookOptions: ParsableArguments {
    @Option(name: .customLong("hook-timeout"),
            help: ArgumentHelp("Seconds a hook may run before it is stopped; a stopped pre-commit hook refuses the edition (0: no limit).", valueName: "seconds"))
    var hookTimeout: Double = 30

    func validate() throws {
        if !(hookTimeout >= 0) || !hookTimeout.isFinite { throw ValidationError("--hook-timeout must be a number of seconds, 0 or more") }
    }

    func apply(to corpus: Corpus) { corpus.hookTimeout = hookTimeout }
}
