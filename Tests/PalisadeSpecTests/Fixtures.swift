import Foundation

/// Paths to the repository and to the shared fixtures beside it.
enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func example(_ name: String) -> String { repository.appendingPathComponent("examples/\(name)").path }
    static let serviceTags = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/service-tags/ServiceTags_Public_20251028.json")
}
