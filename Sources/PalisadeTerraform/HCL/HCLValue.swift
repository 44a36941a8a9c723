import Foundation

/// A value Terraform would only know after apply, kept as a symbolic reference to what produces it.
public struct HCLUnknown: Sendable, Hashable, CustomStringConvertible {
    /// The producing address and attribute, e.g. `module.firewall.azurerm_firewall.fw.ip_configuration[0].private_ip_address`.
    public var reference: String
    /// Whether the value is secret (passwords): it is never printed.
    public var sensitive: Bool

    /// Creates an unknown value.
    public init(_ reference: String, sensitive: Bool = false) {
        self.reference = reference
        self.sensitive = sensitive
    }
    public var description: String { "(known after apply: \(reference))" }
}

/// An evaluated HCL value. Lists, tuples and sets share `list`; maps and objects share `object`
/// (Terraform iterates both in lexical key order, which `sortedEntries` gives).
public indirect enum HCLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([HCLValue])
    case object([String: HCLValue])
    case unknown(HCLUnknown)

    /// Terraform's name for the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .object: "object"
        case .unknown: "unknown"
        }
    }

    /// The string, also converting numbers and bools as Terraform does.
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .number(let n): HCLValue.format(n)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// The number, also converting numeric strings.
    public var numberValue: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// The bool, also converting `"true"`/`"false"`.
    public var boolValue: Bool? {
        switch self {
        case .bool(let b): b
        case .string("true"): true
        case .string("false"): false
        default: nil
        }
    }

    /// Elements of a list, nil otherwise.
    public var listValue: [HCLValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// Members of an object, nil otherwise.
    public var objectValue: [String: HCLValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Whether the value or anything inside it is unknown.
    public var containsUnknown: Bool {
        switch self {
        case .unknown: true
        case .list(let items): items.contains { $0.containsUnknown }
        case .object(let members): members.values.contains { $0.containsUnknown }
        default: false
        }
    }

    /// The first unknown inside the value.
    public var firstUnknown: HCLUnknown? {
        switch self {
        case .unknown(let u): u
        case .list(let items): items.lazy.compactMap(\.firstUnknown).first
        case .object(let members): members.keys.sorted().lazy.compactMap { members[$0]!.firstUnknown }.first
        default: nil
        }
    }

    /// Whether the value is null.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Object members in lexical key order.
    public var sortedEntries: [(key: String, value: HCLValue)] {
        guard case .object(let members) = self else { return [] }
        return members.keys.filter { !$0.hasPrefix("__palisade_") && $0 != "__labels" }.sorted().map { ($0, members[$0]!) }
    }

    /// Member of an object.
    public subscript(key: String) -> HCLValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Number text as Terraform prints it: integers without a fraction.
    public static func format(_ n: Double) -> String {
        if n.isFinite, n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    /// JSON text with sorted keys, as `jsonencode` writes it (compact).
    public func jsonText(unknownAsNull: Bool = false) -> String? {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return HCLValue.format(n)
        case .string(let s): return HCLValue.jsonQuote(s)
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard let text = item.jsonText(unknownAsNull: unknownAsNull) else { return nil }
                parts.append(text)
            }
            return "[" + parts.joined(separator: ",") + "]"
        case .object:
            var parts: [String] = []
            for (key, value) in sortedEntries {
                guard let text = value.jsonText(unknownAsNull: unknownAsNull) else { return nil }
                parts.append(HCLValue.jsonQuote(key) + ":" + text)
            }
            return "{" + parts.joined(separator: ",") + "}"
        case .unknown: return unknownAsNull ? "null" : nil
        }
    }

    /// A JSON string literal; like Terraform, `<`, `>` and `&` are escaped as `\u003c` etc.
    static func jsonQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
