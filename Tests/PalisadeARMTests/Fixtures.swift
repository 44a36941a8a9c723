import Foundation
@testable import PalisadeARM

/// Paths to the shared fixtures, found relative to this file (never copied into the repository).
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func parse(_ text: String) throws -> JSONNode {
        var p = JSONParser()
        return try p.parse(text)
    }

    /// The checker's comparison: numbers numerically, objects as unordered maps, arrays ordered.
    static func same(_ a: ARMValue, _ b: ARMValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.entries.allSatisfy { e in y.entries.first { $0.key == e.key }.map { same(e.value, $0.value) } ?? false }
        default: return a == b
        }
    }
}
