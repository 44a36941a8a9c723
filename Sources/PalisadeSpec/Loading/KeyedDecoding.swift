import Foundation

/// Coding keys of a spec section; `CaseIterable` lets the loader reject unknown keys and suggest the closest.
protocol SpecKeys: CodingKey, CaseIterable {}

/// A coding key for any string, used to see every key the user wrote.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

/// A key the user wrote that the section does not define.
struct UnknownKeyError: Error {
    /// Path to the offending key (the key itself is the last element).
    var codingPath: [any CodingKey]
    /// The key as written.
    var key: String
    /// The keys the section accepts.
    var validKeys: [String]
}

extension Decoder {
    /// Opens a keyed container after checking that every key the user wrote is one of `Keys`.
    func specContainer<Keys: SpecKeys>(_ keys: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let valid = Keys.allCases.map(\.stringValue)
        let raw = try container(keyedBy: AnyKey.self)
        for key in raw.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !valid.contains(key.stringValue) {
            throw UnknownKeyError(codingPath: codingPath + [key], key: key.stringValue, validKeys: valid)
        }
        return try container(keyedBy: Keys.self)
    }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent (explicit `null` also falls back).
    func value<T: Decodable>(_ key: Key, or fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}

/// Edit distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// The candidate closest to `word`, if reasonably close.
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    guard let best = scored.first, best.1 <= Swift.max(2, word.count / 2) else { return nil }
    return best.0
}

/// Renders a coding path as `network.subnets[2].prefix`.
func keyPathText(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue, key.stringValue == "\(index)" || key.stringValue.hasPrefix("Index") {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text
}
