/// An Azure Virtual Network Manager with its child resources merged in: network groups, security admin
/// configurations and connectivity configurations (docs/semantics.md#avnm-security-admin-rules,
/// #avnm-connectivity). Configurations are taken as deployed to the regions of the VNets they target.
public struct NetworkManager: AzureResource {
    public static let resourceType = ResourceType.networkManager
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `networkManagerScopeAccesses`: `SecurityAdmin`, `Connectivity`, `Routing`; a feature not listed cannot be deployed.
    public var scopeAccesses: [String] = []
    /// Network groups (`networkGroups` children).
    public var networkGroups: [NetworkGroup] = []
    /// Security admin configurations (`securityAdminConfigurations` children).
    public var securityAdminConfigurations: [SecurityAdminConfiguration] = []
    /// Connectivity configurations (`connectivityConfigurations` children).
    public var connectivityConfigurations: [ConnectivityConfiguration] = []

    /// Creates a network manager with no children.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    /// Whether the manager's scope access lists a feature (case-insensitive); an empty list is read as every feature.
    public func allows(_ feature: String) -> Bool {
        scopeAccesses.isEmpty || scopeAccesses.contains { $0.lowercased() == feature.lowercased() }
    }

    /// The network group with this ID, if any.
    public func networkGroup(_ id: ResourceID) -> NetworkGroup? { networkGroups.first { $0.id == id } }

    public var references: [ResourceID] {
        networkGroups.flatMap(\.staticMembers)
            + connectivityConfigurations.flatMap { $0.hubs + $0.groups.map(\.networkGroup) }
            + securityAdminConfigurations.flatMap { $0.ruleCollections.flatMap(\.appliesToGroups) }
    }
    public var asResource: Resource { .networkManager(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .networkManager(let value) = resource { return value }
        return nil
    }
}

/// A network group with static members (`networkGroups/staticMembers`); dynamic membership by Azure Policy is not read.
public struct NetworkGroup: Hashable, Sendable, Codable {
    /// The group's ARM ID (`…/networkManagers/{m}/networkGroups/{g}`).
    public var id: ResourceID
    /// `memberType`: `VirtualNetwork` (default) or `Subnet`.
    public var memberType: String = "VirtualNetwork"
    /// Member VNets (or subnets), from `staticMembers/*.properties.resourceId`.
    public var staticMembers: [ResourceID] = []

    /// Creates an empty group.
    public init(id: ResourceID) { self.id = id }
    /// The group's name.
    public var name: String { id.name }
}

/// A security admin configuration: rule collections whose rules apply before NSGs (docs/semantics.md#avnm-security-admin-rules).
public struct SecurityAdminConfiguration: Hashable, Sendable, Codable {
    /// The configuration's ARM ID.
    public var id: ResourceID
    /// Rule collections (`ruleCollections` children).
    public var ruleCollections: [AdminRuleCollection] = []

    /// Creates an empty configuration.
    public init(id: ResourceID) { self.id = id }
    /// The configuration's name.
    public var name: String { id.name }
}

/// A rule collection of a security admin configuration: its rules apply to the VNets of the groups it targets.
public struct AdminRuleCollection: Hashable, Sendable, Codable {
    /// The collection's ARM ID.
    public var id: ResourceID
    /// `appliesToGroups[].networkGroupId`.
    public var appliesToGroups: [ResourceID] = []
    /// Rules (`rules` children).
    public var rules: [AdminRule] = []

    /// Creates an empty collection.
    public init(id: ResourceID) { self.id = id }
    /// The collection's name.
    public var name: String { id.name }
}

/// A security admin rule (docs/semantics.md#avnm-security-admin-rules).
public struct AdminRule: Hashable, Sendable, Codable {
    /// What a matching rule does.
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// Hands the packet to the NSGs.
        case allow = "Allow"
        /// Allows the packet and skips the NSGs.
        case alwaysAllow = "AlwaysAllow"
        /// Drops the packet; NSGs are not consulted.
        case deny = "Deny"
    }
    /// One `sources`/`destinations` item: an IP prefix (or `*`) or a service tag.
    public enum Address: Hashable, Sendable, Codable, CustomStringConvertible {
        /// `*`.
        case any
        /// An address or CIDR.
        case prefix(IPv4Prefix)
        /// A service tag.
        case serviceTag(String)
        /// A value the importer could not read (matches nothing; kept visible).
        case unresolved(String)

        /// Parses an `addressPrefix` with its `addressPrefixType` (`IPPrefix` or `ServiceTag`).
        public static func parse(_ text: String, type: String?) -> Address {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "*" || trimmed.lowercased() == "any" { return .any }
            if type?.lowercased() == "servicetag" { return .serviceTag(trimmed) }
            if let parsed = IPv4Prefix.parse(trimmed) { return .prefix(parsed.prefix) }
            return type == nil ? .serviceTag(trimmed) : .unresolved(trimmed)
        }

        public var description: String {
            switch self {
            case .any: "*"
            case .prefix(let p): p.description
            case .serviceTag(let t): t
            case .unresolved(let t): t
            }
        }
    }

    /// Rule name.
    public var name: String
    /// 1 (first) … 4096, unique within a configuration.
    public var priority: Int
    /// Allow, Always Allow or Deny.
    public var action: Action
    /// Inbound or outbound.
    public var direction: SecurityRule.Direction
    /// Protocol (`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `Any`).
    public var `protocol`: NetworkProtocol
    /// Sources; empty means any.
    public var sources: [Address] = []
    /// Destinations; empty means any.
    public var destinations: [Address] = []
    /// Source ports.
    public var sourcePorts: PortMatch = .any
    /// Destination ports.
    public var destinationPorts: PortMatch = .any

    /// Creates a rule.
    public init(name: String, priority: Int, action: Action, direction: SecurityRule.Direction, protocol: NetworkProtocol,
                sources: [Address] = [], destinations: [Address] = [], sourcePorts: PortMatch = .any, destinationPorts: PortMatch = .any) {
        self.name = name
        self.priority = priority
        self.action = action
        self.direction = direction
        self.protocol = `protocol`
        self.sources = sources
        self.destinations = destinations
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
    }
}

/// A connectivity configuration: hub-and-spoke or mesh over network groups (docs/semantics.md#avnm-connectivity).
public struct ConnectivityConfiguration: Hashable, Sendable, Codable {
    /// `connectivityTopology`.
    public enum Topology: String, Hashable, Sendable, Codable, CaseIterable {
        case hubAndSpoke = "HubAndSpoke"
        case mesh = "Mesh"
    }
    /// One `appliesToGroups` entry.
    public struct GroupItem: Hashable, Sendable, Codable {
        /// The network group.
        public var networkGroup: ResourceID
        /// `groupConnectivity`: `DirectlyConnected` puts the group's VNets in a connected group.
        public var directlyConnected: Bool = false
        /// `useHubGateway`: spokes use the hub's gateway (gateway transit).
        public var useHubGateway: Bool = false
        /// `isGlobal`: the connected group spans regions.
        public var isGlobal: Bool = false

        /// Creates an entry.
        public init(networkGroup: ResourceID, directlyConnected: Bool = false, useHubGateway: Bool = false, isGlobal: Bool = false) {
            self.networkGroup = networkGroup
            self.directlyConnected = directlyConnected
            self.useHubGateway = useHubGateway
            self.isGlobal = isGlobal
        }
    }

    /// The configuration's ARM ID.
    public var id: ResourceID
    /// Hub-and-spoke or mesh.
    public var topology: Topology = .hubAndSpoke
    /// Hub VNets (`hubs[].resourceId`), hub-and-spoke only.
    public var hubs: [ResourceID] = []
    /// Groups the configuration applies to.
    public var groups: [GroupItem] = []
    /// `isGlobal` for mesh: the connected group spans regions.
    public var isGlobal: Bool = false

    /// Creates a configuration.
    public init(id: ResourceID, topology: Topology = .hubAndSpoke) {
        self.id = id
        self.topology = topology
    }
    /// The configuration's name.
    public var name: String { id.name }
}
