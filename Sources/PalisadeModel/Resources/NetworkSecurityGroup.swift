import Foundation

/// A network security group and its custom rules (docs/semantics.md#network-security-groups).
/// Azure's default rules (docs/semantics.md#nsg-default-rules) are not stored; `SecurityRule.defaultRules` supplies them.
public struct NetworkSecurityGroup: AzureResource {
    public static let resourceType = ResourceType.networkSecurityGroup
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Custom security rules, in any order (priority decides, docs/semantics.md#nsg-evaluation-order).
    public var securityRules: [SecurityRule] = []

    /// Creates an NSG with no custom rules.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        securityRules.flatMap { $0.source.applicationSecurityGroups + $0.destination.applicationSecurityGroups }
    }
    public var asResource: Resource { .networkSecurityGroup(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .networkSecurityGroup(let value) = resource { return value }
        return nil
    }
}

/// One NSG security rule with every field ARM allows (docs/semantics.md#nsg-rule-model).
public struct SecurityRule: Hashable, Sendable, Codable {
    /// Traffic direction.
    public enum Direction: String, Hashable, Sendable, Codable, CaseIterable {
        case inbound = "Inbound"
        case outbound = "Outbound"
    }
    /// Rule action.
    public enum Access: String, Hashable, Sendable, Codable, CaseIterable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// Rule name (≤80 chars).
    public var name: String
    /// 100…4096 for custom rules; 65000+ for default rules.
    public var priority: Int
    /// Direction.
    public var direction: Direction
    /// Allow or deny.
    public var access: Access
    /// IP protocol.
    public var `protocol`: NetworkProtocol
    /// Source side.
    public var source: AddressMatch
    /// Source ports.
    public var sourcePorts: PortMatch
    /// Destination side.
    public var destination: AddressMatch
    /// Destination ports.
    public var destinationPorts: PortMatch
    /// Free text.
    public var description: String?

    /// Creates a rule.
    public init(
        name: String, priority: Int, direction: Direction, access: Access, protocol: NetworkProtocol,
        source: AddressMatch, sourcePorts: PortMatch = .any, destination: AddressMatch,
        destinationPorts: PortMatch, description: String? = nil
    ) {
        self.name = name
        self.priority = priority
        self.direction = direction
        self.access = access
        self.protocol = `protocol`
        self.source = source
        self.sourcePorts = sourcePorts
        self.destination = destination
        self.destinationPorts = destinationPorts
        self.description = description
    }

    /// Azure's six default rules, which every NSG has after its custom rules (docs/semantics.md#nsg-default-rules).
    public static let defaultRules: [SecurityRule] = [
        SecurityRule(name: "AllowVNetInBound", priority: 65000, direction: .inbound, access: .allow, protocol: .any,
                     source: .serviceTag("VirtualNetwork"), destination: .serviceTag("VirtualNetwork"), destinationPorts: .any),
        SecurityRule(name: "AllowAzureLoadBalancerInBound", priority: 65001, direction: .inbound, access: .allow,
                     protocol: .any, source: .serviceTag("AzureLoadBalancer"), destination: .any, destinationPorts: .any),
        SecurityRule(name: "DenyAllInBound", priority: 65500, direction: .inbound, access: .deny, protocol: .any,
                     source: .any, destination: .any, destinationPorts: .any),
        SecurityRule(name: "AllowVnetOutBound", priority: 65000, direction: .outbound, access: .allow, protocol: .any,
                     source: .serviceTag("VirtualNetwork"), destination: .serviceTag("VirtualNetwork"), destinationPorts: .any),
        SecurityRule(name: "AllowInternetOutBound", priority: 65001, direction: .outbound, access: .allow,
                     protocol: .any, source: .any, destination: .serviceTag("Internet"), destinationPorts: .any),
        SecurityRule(name: "DenyAllOutBound", priority: 65500, direction: .outbound, access: .deny, protocol: .any,
                     source: .any, destination: .any, destinationPorts: .any),
    ]
}

/// IP protocols as NSG and firewall rules name them (docs/semantics.md#nsg-protocols, #firewall-network-rules).
public enum NetworkProtocol: String, Hashable, Sendable, Codable, CaseIterable {
    case tcp = "Tcp"
    case udp = "Udp"
    case icmp = "Icmp"
    case esp = "Esp"
    case ah = "Ah"
    case any = "*"
}

/// One side of an NSG rule: `*`, one service tag, application security groups, or a set of prefixes (docs/semantics.md#nsg-rule-model).
public enum AddressMatch: Hashable, Sendable, Codable {
    /// `*` / Any.
    case any
    /// A service tag such as `Storage.WestEurope` or `VirtualNetwork`.
    case serviceTag(String)
    /// One or more IP prefixes (single addresses are /32).
    case prefixes([IPv4Prefix])
    /// Application security groups (docs/semantics.md#application-security-groups).
    case applicationSecurityGroups([ResourceID])
    /// A value the importer could not evaluate (kept so the rule is visible, never silently widened).
    case unresolved(String)

    /// The application security groups this side names.
    public var applicationSecurityGroups: [ResourceID] {
        if case .applicationSecurityGroups(let groups) = self { return groups }
        return []
    }

    /// Parses an ARM address prefix string: `*`, a CIDR or address, or otherwise a service tag.
    public static func parse(_ text: String) -> AddressMatch {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" || trimmed.lowercased() == "any" || trimmed == "0.0.0.0/0" { return .any }
        if let parsed = IPv4Prefix.parse(trimmed) { return .prefixes([parsed.prefix]) }
        return .serviceTag(trimmed)
    }

    /// ARM text for this side (`*`, a tag, or comma-joined prefixes).
    public var displayText: String {
        switch self {
        case .any: "*"
        case .serviceTag(let tag): tag
        case .prefixes(let prefixes): prefixes.map { $0.length == 32 ? $0.network.description : $0.description }.joined(separator: ",")
        case .applicationSecurityGroups(let groups): groups.map(\.name).joined(separator: ",")
        case .unresolved(let text): text
        }
    }
}

/// A port specification: `*` or a list of ranges (docs/semantics.md#nsg-rule-model).
public enum PortMatch: Hashable, Sendable, Codable {
    /// Any port.
    case any
    /// Explicit ports and ranges.
    case ranges([PortRange])

    /// Parses `*`, `443`, `80-90`; nil for anything else.
    public static func parse(_ texts: [String]) -> PortMatch? {
        var ranges: [PortRange] = []
        for text in texts {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "*" { return .any }
            guard let range = PortRange(trimmed) else { return nil }
            ranges.append(range)
        }
        return .ranges(ranges)
    }

    /// Shorthand for explicit ports.
    public static func ports(_ ports: Int...) -> PortMatch { .ranges(ports.map { PortRange($0) }) }

    /// ARM text: `*` or comma-joined ranges.
    public var displayText: String {
        switch self {
        case .any: "*"
        case .ranges(let ranges): ranges.map(\.description).joined(separator: ",")
        }
    }
}

/// An inclusive port range.
public struct PortRange: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// First port.
    public var lower: Int
    /// Last port.
    public var upper: Int

    /// A single port.
    public init(_ port: Int) {
        lower = port
        upper = port
    }
    /// A range.
    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }
    /// Parses `443` or `80-90` within 0…65535.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts.last!),
              0 <= low, low <= high, high <= 65535
        else { return nil }
        lower = low
        upper = high
    }
    /// Whether `port` is inside.
    public func contains(_ port: Int) -> Bool { lower <= port && port <= upper }
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
    public static func < (lhs: PortRange, rhs: PortRange) -> Bool { (lhs.lower, lhs.upper) < (rhs.lower, rhs.upper) }
}

/// An application security group (docs/semantics.md#application-security-groups).
public struct ApplicationSecurityGroup: AzureResource {
    public static let resourceType = ResourceType.applicationSecurityGroup
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?

    /// Creates an ASG.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .applicationSecurityGroup(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .applicationSecurityGroup(let value) = resource { return value }
        return nil
    }
}
