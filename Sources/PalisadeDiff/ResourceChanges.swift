import Foundation
import PalisadeModel

/// One property that differs between two versions of a resource.
public struct PropertyChange: Sendable, Hashable, Codable {
    /// JSON path in Palisade's model of the resource, e.g. `securityRules[2].access`.
    public var path: String
    /// The value before (compact JSON), nil when the property was absent; `(redacted)` for secrets.
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

    private static func walk(_ a: JSONValue?, _ b: JSONValue?, path: String, secret: Bool, into changes: inout [PropertyChange]) {
        if case .object(let x)? = a, case .object(let y)? = b {
            for key in Set(x.keys).union(y.keys).sorted() {
                walk(x[key], y[key], path: path.isEmpty ? key : "\(path).\(key)", secret: secret || isSecret(key), into: &changes)
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

    /// Compact JSON text, cut at 200 characters.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let full = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        return full.count > 200 ? String(full.prefix(197)) + "..." : full
    }
}
