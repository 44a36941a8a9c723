import Foundation
import PalisadeModel

/// What a deployed estate adds, lacks or changes against a design, resource by resource.
///
/// Resources are matched by type and name path (`Microsoft.Network/virtualNetworks/subnets` + `hub/training`),
/// not by full ID: a design's subscription and resource group are placeholders until deployment. References inside
/// properties are compared the same way. A property the design leaves unset is not compared; one it sets must match.
/// Reachability drift (what can reach what) is the network `diff`'s job; this is the resource half of it.
public struct DriftReport: Sendable, Codable, Hashable {
    /// One resource in the comparison.
    public struct Entry: Sendable, Codable, Hashable {
        /// The resource type.
        public var type: String
        /// The name path (`vnet/subnet`).
        public var name: String
        /// The ID in the design, if there.
        public var designID: String?
        /// The ID deployed, if there.
        public var deployedID: String?
        /// Properties that differ (only for changed resources).
        public var changes: [Change]
    }

    /// One property that differs.
    public struct Change: Sendable, Codable, Hashable {
        /// The property path (`securityRules[AllowHttps].destinationPortRanges`).
        public var property: String
        /// The design's value (compact JSON).
        public var design: String
        /// The deployed value (compact JSON, or `absent`).
        public var deployed: String
    }

    /// Deployed, not in the design.
    public var added: [Entry]
    /// In the design, not deployed.
    public var lacking: [Entry]
    /// In both, with different settings.
    public var changed: [Entry]

    /// Whether the estate matches the design.
    public var isEmpty: Bool { added.isEmpty && lacking.isEmpty && changed.isEmpty }

    /// The text form.
    public func renderText(design: String) -> String {
        var lines = ["Drift against \(design): \(added.count) added, \(lacking.count) lacking, \(changed.count) changed"]
        func section(_ title: String, _ entries: [Entry], id: (Entry) -> String?) {
            guard !entries.isEmpty else { return }
            lines.append("")
            lines.append(title)
            for entry in entries {
                lines.append("  \(entry.type) \(entry.name)" + (id(entry).map { "  (\($0))" } ?? ""))
                for change in entry.changes {
                    lines.append("    \(change.property): design \(change.design), deployed \(change.deployed)")
                }
            }
        }
        section("Deployed but not in the design:", added) { $0.deployedID }
        section("In the design but not deployed:", lacking) { _ in nil }
        section("Deployed differently from the design:", changed) { $0.deployedID }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Compares two graphs at the resource level.
public protocol ResourceComparison: Sendable {
    /// The drift of `deployed` against `design`.
    func compare(design: ResourceGraph, deployed: ResourceGraph) -> DriftReport
}

/// The built-in comparison (see `DriftReport`).
public struct ResourceDrift: ResourceComparison {
    /// Creates the comparison.
    public init() {}

    /// The matching key of an ID: lower-cased type and name path, without subscription and resource group.
    public static func key(_ id: ResourceID) -> (type: String, name: String) {
        let parts = id.rawValue.split(separator: "/").map(String.init)
        guard let providers = parts.lastIndex(where: { $0.lowercased() == "providers" }), providers + 1 < parts.count else {
            if parts.count >= 4, parts[2].lowercased() == "resourcegroups" { return ("Microsoft.Resources/resourceGroups", parts[3]) }
            return ("", id.rawValue)
        }
        let rest = Array(parts[(providers + 1)...])
        var types = [rest[0]], names: [String] = []
        for (i, segment) in rest.dropFirst().enumerated() { if i % 2 == 0 { types.append(segment) } else { names.append(segment) } }
        return (types.joined(separator: "/"), names.joined(separator: "/"))
    }

    static func folded(_ id: ResourceID) -> String {
        let k = key(id)
        return (k.type + "|" + k.name).lowercased()
    }

    /// Compares by type and name path (see `DriftReport`).
    public func compare(design: ResourceGraph, deployed: ResourceGraph) -> DriftReport {
        var designed: [String: Resource] = [:], live: [String: Resource] = [:]
        for r in design.resources { designed[Self.matchKey(r), default: r] = r }
        for r in deployed.resources { live[Self.matchKey(r), default: r] = r }
        var added: [DriftReport.Entry] = [], lacking: [DriftReport.Entry] = [], changed: [DriftReport.Entry] = []
        for key in Set(designed.keys).union(live.keys).sorted() {
            let d = designed[key], l = live[key]
            let id = (d ?? l)!.payload.id
            let k = Self.key(id)
            switch (d, l) {
            case (let d?, nil): lacking.append(.init(type: k.type, name: k.name, designID: d.payload.id.rawValue, deployedID: nil, changes: []))
            case (nil, let l?): added.append(.init(type: k.type, name: k.name, designID: nil, deployedID: l.payload.id.rawValue, changes: []))
            case (let d?, let l?):
                let changes = Self.changes(design: Self.normalized(d), deployed: Self.normalized(l))
                if !changes.isEmpty {
                    changed.append(.init(type: k.type, name: k.name, designID: d.payload.id.rawValue, deployedID: l.payload.id.rawValue, changes: changes))
                }
            default: break
            }
        }
        return DriftReport(added: added, lacking: lacking, changed: changed)
    }

    /// Role assignment names are GUIDs derived from deployment inputs, so they are matched by scope and role instead.
    static func matchKey(_ resource: Resource) -> String {
        if case .roleAssignment(let r) = resource {
            return "roleassignment|" + folded(r.scope) + "|" + r.roleDefinitionID.split(separator: "/").last.map(String.init)!.lowercased()
                + "|" + (r.principal.map(folded) ?? "")
        }
        return folded(resource.payload.id)
    }

    /// The resource as JSON with identity, source and IDs reduced to their matching keys.
    static func normalized(_ resource: Resource) -> Any {
        guard let data = try? JSONEncoder().encode(resource), var object = try? JSONSerialization.jsonObject(with: data) else { return NSNull() }
        // Unwrap the enum case and its `_0` payload.
        while let dictionary = object as? [String: Any], dictionary.count == 1, let only = dictionary.first?.value { object = only }
        return normalize(object, key: "")
    }

    static func normalize(_ value: Any, key: String) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in object where !["id", "source"].contains(k) { out[k] = normalize(v, key: k) }
            return out
        }
        if let array = value as? [Any] { return array.map { normalize($0, key: key) } }
        if let text = value as? String {
            if text.lowercased().hasPrefix("/subscriptions/") { return "ref:" + folded(ResourceID(text)) }
            if key == "location" { return text.lowercased().replacingOccurrences(of: " ", with: "") }
        }
        return value
    }

    /// Differences where the design states a value.
    static func changes(design: Any, deployed: Any?, path: String = "") -> [DriftReport.Change] {
        if design is NSNull { return [] }
        guard let deployed, !(deployed is NSNull) else {
            return [DriftReport.Change(property: path.isEmpty ? "(resource)" : path, design: compact(design), deployed: "absent")]
        }
        if let a = design as? [String: Any], let b = deployed as? [String: Any] {
            return a.keys.sorted().flatMap { changes(design: a[$0]!, deployed: b[$0], path: path.isEmpty ? $0 : path + "." + $0) }
        }
        if let a = design as? [Any], let b = deployed as? [Any] {
            let named = { (items: [Any]) -> [String: Any]? in
                var out: [String: Any] = [:]
                for item in items {
                    guard let o = item as? [String: Any], let name = o["name"] as? String else { return nil }
                    out[name.lowercased()] = item
                }
                return out
            }
            if let na = named(a), let nb = named(b), !a.isEmpty || !b.isEmpty {
                var out: [DriftReport.Change] = []
                for name in Set(na.keys).union(nb.keys).sorted() {
                    let p = "\(path)[\(name)]"
                    switch (na[name], nb[name]) {
                    case (let x?, let y?): out += changes(design: x, deployed: y, path: p)
                    case (_?, nil): out.append(.init(property: p, design: "present", deployed: "absent"))
                    case (nil, _?): out.append(.init(property: p, design: "absent", deployed: "present"))
                    default: break
                    }
                }
                return out
            }
            let ca = a.map(compact).sorted(), cb = b.map(compact).sorted()
            return ca.map { $0.lowercased() } == cb.map { $0.lowercased() } ? [] : [.init(property: path, design: compact(design), deployed: compact(deployed))]
        }
        let ca = compact(design), cb = compact(deployed)
        return ca.lowercased() == cb.lowercased() ? [] : [.init(property: path, design: ca, deployed: cb)]
    }

    static func compact(_ value: Any) -> String {
        if let s = value as? String { return "\"\(s)\"" }
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        let text = String(decoding: data, as: UTF8.self).dropFirst().dropLast()
        return text.count > 160 ? String(text.prefix(160)) + "…" : String(text)
    }
}
