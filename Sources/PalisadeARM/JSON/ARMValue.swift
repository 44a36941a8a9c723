import PalisadeModel

/// A value the ARM evaluator computes: JSON plus "unknown until deployment" and secret markers.
public indirect enum ARMValue: Hashable, Sendable {
    /// JSON null.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer (ARM's `int`).
    case int(Int64)
    /// A non-integral number (from `json()` or `float()`).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([ARMValue])
    /// An object with case-insensitive keys.
    case object(ARMObject)
    /// A value only Azure knows at deployment time (e.g. `listKeys()`), with a description of where it came from.
    case unknown(String)
    /// A secure value that must never be printed.
    case secret(SecretValue)

    /// The ARM type name used in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .unknown: "unknown"
        case .secret: "securestring"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is an integer.
    public var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The boolean, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [ARMValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: ARMObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this value is (or contains, at top level) an unknown.
    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }

    /// Whether an unknown or secret occurs anywhere inside.
    public var containsUnknown: Bool {
        switch self {
        case .unknown: true
        case .array(let a): a.contains { $0.containsUnknown }
        case .object(let o): o.values.contains { $0.containsUnknown }
        default: false
        }
    }

    /// The member named `key` (case-insensitive), if this is an object.
    public subscript(key: String) -> ARMValue? {
        objectValue?[key]
    }

    /// Converts to the model's plain JSON value; unknowns become `"[unknown: …]"` strings and secrets `"[secret]"`.
    public var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .integer(i)
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(\.jsonValue))
        case .object(let o):
            .object(Dictionary(o.entries.filter { !$0.key.hasPrefix("$palisade.") }.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { _, b in b }))
        case .unknown(let why): .string("[unknown: \(why)]")
        case .secret: .string("[secret]")
        }
    }

    /// Builds a value from the model's JSON value.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .int(i)
        case .number(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(ARMValue.init))
        case .object(let o): self = .object(ARMObject(o.sorted { $0.key < $1.key }.map { ($0.key, ARMValue($0.value)) }))
        }
    }
}

/// A JSON object with ARM semantics: keys compare case-insensitively, insertion order is kept.
public struct ARMObject: Hashable, Sendable {
    /// One member.
    public struct Entry: Hashable, Sendable {
        /// The key as written.
        public var key: String
        /// The value.
        public var value: ARMValue
    }

    /// Members in insertion order.
    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]

    /// Creates an empty object.
    public init() {}

    /// Creates an object from pairs; a later duplicate key replaces the earlier value.
    public init(_ pairs: [(String, ARMValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    /// Number of members.
    public var count: Int { entries.count }
    /// Whether the object has no members.
    public var isEmpty: Bool { entries.isEmpty }
    /// Keys in insertion order.
    public var keys: [String] { entries.map(\.key) }
    /// Values in insertion order.
    public var values: [ARMValue] { entries.map(\.value) }

    /// Case-insensitive member access; assigning nil removes the member.
    public subscript(key: String) -> ARMValue? {
        get {
            guard let i = index[key.lowercased()] else { return nil }
            return entries[i].value
        }
        set {
            let folded = key.lowercased()
            if let newValue {
                if let i = index[folded] {
                    entries[i].value = newValue
                } else {
                    index[folded] = entries.count
                    entries.append(Entry(key: key, value: newValue))
                }
            } else if let i = index[folded] {
                entries.remove(at: i)
                index = [:]
                for (n, e) in entries.enumerated() { index[e.key.lowercased()] = n }
            }
        }
    }

    /// Whether a member exists (case-insensitive).
    public func contains(_ key: String) -> Bool { index[key.lowercased()] != nil }

    /// Equal when both have the same keys (ignoring case and order) with equal values.
    public static func == (lhs: ARMObject, rhs: ARMObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for e in lhs.entries where rhs[e.key] != e.value { return false }
        return true
    }

    /// Hashes keys case-insensitively in sorted order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for e in entries.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
            hasher.combine(e.key.lowercased())
            hasher.combine(e.value)
        }
    }
}
