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
        guard let left = try? JSONSerialization.jsonObject(with: encoder.encode(normalised(a)), options: [.fragmentsAllowed]),
              let right = try? JSONSerialization.jsonObject(with: encoder.encode(normalised(b)), options: [.fragmentsAllowed])
        else { return [PropertyChange(path: "(resource)", before: nil, after: nil)] }
        var changes: [PropertyChange] = []
        // The graph encodes a resource as {"<kind>": {...}}; paths start inside the payload.
        let l = (left as? [String: Any]).flatMap { $0.count == 1 ? $0.values.first : nil } ?? left
        let r = (right as? [String: Any]).flatMap { $0.count == 1 ? $0.values.first : nil } ?? right
        walk(l, r, path: "", secret: false, into: &changes)
        return changes
    }

    private static func walk(_ a: Any?, _ b: Any?, path: String, secret: Bool, into changes: inout [PropertyChange]) {
        if let x = a as? [String: Any], let y = b as? [String: Any] {
            for key in Set(x.keys).union(y.keys).sorted() {
                walk(x[key], y[key], path: path.isEmpty ? key : "\(path).\(key)", secret: secret || isSecret(key), into: &changes)
            }
            return
        }
        if let x = a as? [Any], let y = b as? [Any], x.count == y.count {
            for i in 0..<x.count { walk(x[i], y[i], path: "\(path)[\(i)]", secret: secret, into: &changes) }
            return
        }
        let left = a.map(compact)
        let right = b.map(compact)
        guard left != right else { return }
        changes.append(PropertyChange(path: path, before: secret && left != nil ? "(redacted)" : left,
                                      after: secret && right != nil ? "(redacted)" : right))
    }

    /// Compact JSON text of a value, cut at 200 characters.
    private static func compact(_ value: Any) -> String {
        let text: String
        if value is NSNull {
            text = "null"
        } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = "\(value)"
        }
        return text.count > 200 ? String(text.prefix(197)) + "..." : text
    }
}
