import Foundation
import Testing
import TestSupport
@testable import Stemma

/// `Hooks/` holds the example hooks as files, to read and to copy by hand; the binary carries the
/// same scripts so `stemma hooks install` works from any copy of it. This keeps the two equal.
@Suite struct ShippedHooksTests {
    @Test func theFilesInHooksAreTheScriptsTheBinaryInstalls() throws {
        for event in HookEvent.allCases {
            let path = packageRoot + "/Hooks/" + event.rawValue
            let file = try #require(FileManager.default.contents(atPath: path), "\(path) is missing")
            #expect(String(decoding: file, as: UTF8.self) == ShippedHooks.script(for: event),
                    "Hooks/\(event.rawValue) differs from ShippedHooks: update both (stemma hooks show \(event.name) prints the shipped one)")
            #expect(FileManager.default.isExecutableFile(atPath: path))
        }
    }
}
