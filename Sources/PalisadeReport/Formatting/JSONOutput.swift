import Foundation

/// Deterministic JSON: 2-space indentation, sorted keys, no escaped slashes, trailing newline.
public enum JSONOutput {
    /// Encodes `value` as deterministic pretty JSON.
    public static func render(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        // Foundation indents with 2 spaces on Linux and macOS alike.
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
