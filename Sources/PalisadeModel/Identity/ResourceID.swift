/// An ARM resource ID such as
/// `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/vnet/subnets/a`.
///
/// Comparison and hashing ignore case, as ARM does; the original spelling is kept for output.
/// Ordering is the lower-cased text, which gives the stable order every report uses.
public struct ResourceID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The ID as written.
    public let rawValue: String
    private let folded: String

    /// Wraps an ID string; no validation (imported IDs may be partial or unresolved).
    public init(_ rawValue: String) {
        self.rawValue = rawValue
        folded = rawValue.lowercased()
    }

    /// Builds the ID of a resource in a resource group: `types` pairs each type segment with its name.
    public init(
        subscription: String, resourceGroup: String, namespace: String, _ types: [(type: String, name: String)]
    ) {
        var text = "/subscriptions/\(subscription)/resourceGroups/\(resourceGroup)/providers/\(namespace)"
        for (type, name) in types { text += "/\(type)/\(name)" }
        self.init(text)
    }

    /// The ID of a resource group.
    public static func resourceGroup(subscription: String, name: String) -> ResourceID {
        ResourceID("/subscriptions/\(subscription)/resourceGroups/\(name)")
    }

    private var segments: [Substring] { rawValue.split(separator: "/") }

    /// The subscription ID, if the ID is subscription-scoped.
    public var subscriptionID: String? { value(after: "subscriptions") }

    /// The resource group name, if any.
    public var resourceGroupName: String? { value(after: "resourceGroups") }

    /// The resource's own name (last segment).
    public var name: String {
        // The last non-empty segment, found from the end without splitting the whole ID (asked very often).
        let bytes = rawValue.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return rawValue }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "/") { start = bytes.index(before: start) }
        return String(rawValue[start..<end])
    }

    /// The resource type (`Namespace/type/childType…`), or `Microsoft.Resources/resourceGroups` for a group.
    public var resourceType: ResourceType? {
        let parts = segments
        guard let providers = parts.lastIndex(where: { $0.lowercased() == "providers" }) else {
            if parts.count == 4, parts[2].lowercased() == "resourcegroups" { return .resourceGroup }
            return nil
        }
        let rest = parts[(providers + 1)...]
        guard let namespace = rest.first else { return nil }
        let typeSegments = rest.dropFirst().enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        return ResourceType(([namespace] + typeSegments).joined(separator: "/"))
    }

    /// The parent resource (for child resources such as subnets), or nil for a top-level resource.
    public var parent: ResourceID? {
        let parts = segments
        guard let providers = parts.lastIndex(where: { $0.lowercased() == "providers" }) else { return nil }
        let rest = parts.count - providers - 2  // segments after the namespace
        guard rest >= 4 else { return nil }
        return ResourceID("/" + parts.dropLast(2).joined(separator: "/"))
    }

    /// The ID of a child resource.
    public func child(_ type: String, _ name: String) -> ResourceID {
        ResourceID("\(rawValue)/\(type)/\(name)")
    }

    private func value(after key: String) -> String? {
        let parts = segments
        guard let index = parts.firstIndex(where: { $0.lowercased() == key.lowercased() }), index + 1 < parts.count
        else { return nil }
        return String(parts[index + 1])
    }

    public var description: String { rawValue }

    public static func == (lhs: ResourceID, rhs: ResourceID) -> Bool { lhs.folded == rhs.folded }
    public func hash(into hasher: inout Hasher) { hasher.combine(folded) }
    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool { lhs.folded < rhs.folded }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
