import Foundation

/// Paths to the shared fixtures, found relative to this file (never copied into the repository).
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
