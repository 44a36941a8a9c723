import Foundation
import PalisadeModel

/// One property that differs between two versions of a resource.
public struct PropertyChange: Sendable, Hashable, Codable {
    /// Path in Palisade's model of the resource, named elements by name, e.g. `securityRules['ssh'].access`.
    public var path: String
    /// The value before (compact JSON; port ranges as `22` or `80-90`), nil when the property was absent; `(redacted)` for secrets.
    public var before: String?
    /// The value after.
    public var after: String?
}

/// A resource added, removed or changed.
public struct ResourceChange: Sendable, Hashable, Codable, Comparable {
    /// What happened to the resource.
    public enum Kind: String, Sendable, Hashable, Codable {
        case added, removed, changed
    }
    /// Kind.
    public var kind: Kind
    /// The resource's ARM ID.
    public var id: ResourceID
    /// Its ARM type.
    public var type: ResourceType
    /// Where it is declared in the version that has it (after, when both do).
    public var location: SourceLocation?
    /// For `changed`: the properties that differ, by path.
    public var properties: [PropertyChange]

    public static func < (l: ResourceChange, r: ResourceChange) -> Bool { l.id < r.id }
}

/// Resource-level comparison of two graphs; source locations (file, line) are not properties.
public enum ResourceChanges {
    /// Every resource added, removed or changed, by ID.
    public static func compare(_ before: ResourceGraph, _ after: ResourceGraph) -> [ResourceChange] {
        changedIDs(before, after).compactMap { id -> ResourceChange? in
            switch (before[id], after[id]) {
            case (nil, let b?): return ResourceChange(kind: .added, id: id, type: b.type, location: b.source, properties: [])
            case (let a?, nil): return ResourceChange(kind: .removed, id: id, type: a.type, location: a.source, properties: [])
            case (let a?, let b?):
                return ResourceChange(kind: .changed, id: id, type: b.type, location: b.source, properties: properties(a, b))
            default: return nil
            }
        }
    }

    /// IDs of resources added, removed or changed, sorted.
    static func changedIDs(_ before: ResourceGraph, _ after: ResourceGraph) -> [ResourceID] {
        let old = before.resources
        let new = after.resources
        var ids: Set<ResourceID> = []
        let oldByID = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newByID = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, a) in oldByID {
            guard let b = newByID[id] else { ids.insert(id); continue }
            if normalised(a) != normalised(b) { ids.insert(id) }
        }
        for id in newByID.keys where oldByID[id] == nil { ids.insert(id) }
        return ids.sorted()
    }

    /// The resource without its source location.
    static func normalised(_ resource: Resource) -> Resource {
        func strip<T: AzureResource>(_ value: T) -> Resource {
            var copy = value
            copy.source = nil
            return copy.asResource
        }
        return strip(resource.payload)
    }

    /// Keys whose values are never printed (passwords, keys, secret values).
    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "secret", "token", "connectionstring", "sharedkey", "accesskey", "privatekey", "sastoken"].contains { lower.contains($0) }
            || lower == "value" || lower == "key"
    }

    /// Property-level differences, from the resources' Codable form.
    static func properties(_ a: Resource, _ b: Resource) -> [PropertyChange] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        guard let left = try? decoder.decode(JSONValue.self, from: encoder.encode(normalised(a))),
              let right = try? decoder.decode(JSONValue.self, from: encoder.encode(normalised(b)))
        else { return [PropertyChange(path: "(resource)", before: nil, after: nil)] }
        var changes: [PropertyChange] = []
        walk(left, right, path: "", secret: false, into: &changes)
        return changes
    }

    /// The elements of an array keyed by their `name`, when every element is an object with a distinct name.
    private static func byName(_ elements: [JSONValue]) -> [String: JSONValue]? {
        var named: [String: JSONValue] = [:]
        for element in elements {
            guard case .object(let fields) = element, case .string(let name)? = fields["name"], named[name] == nil else { return nil }
            named[name] = element
        }
        return named
    }

    private static func walk(_ a: JSONValue?, _ b: JSONValue?, path: String, secret: Bool, into changes: inout [PropertyChange]) {
        if case .object(let x)? = a, case .object(let y)? = b, !a!.isRange, !b!.isRange {
            for key in Set(x.keys).union(y.keys).sorted() {
                // `_0` is how Swift encodes an enum case's unlabelled value; it means nothing to a reader.
                let next = key == "_0" ? path : path.isEmpty ? key : "\(path).\(key)"
                walk(x[key], y[key], path: next, secret: secret || isSecret(key), into: &changes)
            }
            return
        }
        if case .array(let x)? = a, case .array(let y)? = b, let left = byName(x), let right = byName(y) {
            // Named elements (rules, subnets, routes) are matched by name, so inserting one does not shift the rest.
            for name in Set(left.keys).union(right.keys).sorted() {
                walk(left[name], right[name], path: "\(path)['\(name)']", secret: secret, into: &changes)
            }
            return
        }
        if case .array(let x)? = a, case .array(let y)? = b {
            // Element by element; extra elements show as added or removed at their index.
            for i in 0..<max(x.count, y.count) {
                walk(i < x.count ? x[i] : nil, i < y.count ? y[i] : nil, path: "\(path)[\(i)]", secret: secret, into: &changes)
            }
            return
        }
        guard a != b else { return }
        let left = a.map(\.text)
        let right = b.map(\.text)
        changes.append(PropertyChange(path: path, before: secret && left != nil ? "(redacted)" : left,
                                      after: secret && right != nil ? "(redacted)" : right))
    }
}

/// A JSON value, for comparing resources property by property.
enum JSONValue: Codable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .array(let v): try container.encode(v)
        case .object(let v): try container.encode(v)
        }
    }

    /// A port or number range as the model encodes it (`{"lower":22,"upper":22}`).
    var isRange: Bool {
        guard case .object(let fields) = self, fields.count == 2, case .number? = fields["lower"], case .number? = fields["upper"]
        else { return false }
        return true
    }

    /// The value as a reviewer reads it, cut at 200 characters: scalars as JSON (`"Deny"`, `110`), port ranges as
    /// `22` or `80-90`, objects as `{key: value, ...}` without quotes inside, and enum cases by their value
    /// (`{"serviceTag":{"_0":"Internet"}}` reads `Internet`, `{"any":{}}` reads `any`).
    var text: String {
        let full = readable(top: true)
        return full.count > 200 ? String(full.prefix(197)) + "..." : full
    }

    private func readable(top: Bool) -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
        case .string(let value): return top ? "\"\(value)\"" : value
        case .array(let values): return "[" + values.map { $0.readable(top: false) }.joined(separator: ", ") + "]"
        case .object(let fields):
            if isRange, case .number(let lower)? = fields["lower"], case .number(let upper)? = fields["upper"] {
                return lower == upper ? "\(Int(lower))" : "\(Int(lower))-\(Int(upper))"
            }
            if fields.count == 1, let (key, value) = fields.first {
                if case .object(let inner) = value {
                    if inner.isEmpty { return key }
                    if inner.count == 1, let payload = inner["_0"] { return payload.readable(top: false) }
                }
                if key == "_0" { return value.readable(top: false) }
            }
            return "{" + fields.keys.sorted().map { "\($0): \(fields[$0]!.readable(top: false))" }.joined(separator: ", ") + "}"
        }
    }
}
