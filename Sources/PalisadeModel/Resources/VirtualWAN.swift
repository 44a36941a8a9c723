/// A Virtual WAN: the container of virtual hubs (docs/semantics.md#virtual-wan-hub-routing).
public struct VirtualWAN: AzureResource {
    public static let resourceType = ResourceType.virtualWAN
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `type`: `Standard` (default) or `Basic`; hub-to-hub and VNet-to-VNet transit need Standard.
    public var wanType = "Standard"
    /// `allowBranchToBranchTraffic` (Azure default true).
    public var allowBranchToBranchTraffic = true

    /// Creates a Standard Virtual WAN.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .virtualWAN(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualWAN(let value) = resource { return value }
        return nil
    }
}

/// A virtual hub with its child resources merged in: VNet connections, hub route tables and routing intent
/// (docs/semantics.md#virtual-wan-hub-routing, #virtual-wan-routing-intent).
public struct VirtualHub: AzureResource {
    public static let resourceType = ResourceType.virtualHub
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The Virtual WAN the hub belongs to.
    public var virtualWAN: ResourceID?
    /// The hub's own address range (`addressPrefix`, at least /24).
    public var addressPrefix: IPv4Prefix?
    /// The secured hub's Azure Firewall (`azureFirewall.id`), if any.
    public var azureFirewall: ResourceID?
    /// `hubVirtualNetworkConnections` children.
    public var virtualNetworkConnections: [HubVirtualNetworkConnection] = []
    /// `hubRouteTables` children (the `defaultRouteTable` and `noneRouteTable` exist even when not declared).
    public var routeTables: [HubRouteTable] = []
    /// The `routingIntent` child, if any.
    public var routingIntent: RoutingIntent?

    /// Creates a hub.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    /// The ID of a hub route table by name (`defaultRouteTable`, `noneRouteTable`, or a custom table).
    public func routeTableID(_ name: String) -> ResourceID { id.child("hubRouteTables", name) }

    public var references: [ResourceID] {
        [virtualWAN, azureFirewall].compactMap { $0 } + virtualNetworkConnections.map(\.remoteVirtualNetwork)
    }
    public var asResource: Resource { .virtualHub(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualHub(let value) = resource { return value }
        return nil
    }
}

/// A hub virtual network connection (`virtualHubs/hubVirtualNetworkConnections`).
public struct HubVirtualNetworkConnection: Hashable, Sendable, Codable {
    /// The connection's name.
    public var name: String
    /// The connected (spoke) VNet.
    public var remoteVirtualNetwork: ResourceID
    /// `enableInternetSecurity`: whether the hub's 0.0.0.0/0 reaches this VNet ("Propagate Default Route"); false when omitted, as in the REST API and azurerm.
    public var enableInternetSecurity = false
    /// `routingConfiguration.associatedRouteTable`; nil means the hub's `defaultRouteTable`.
    public var associatedRouteTable: ResourceID?
    /// `routingConfiguration.propagatedRouteTables.ids`; nil means the `defaultRouteTable` (Azure's default).
    public var propagatedRouteTables: [ResourceID]?
    /// `routingConfiguration.propagatedRouteTables.labels`; nil means `default`.
    public var propagatedLabels: [String]?
    /// `routingConfiguration.vnetRoutes.staticRoutes`: prefixes behind an appliance in the spoke.
    public var staticRoutes: [HubStaticRoute] = []

    /// Creates a connection with Azure's defaults (associated with and propagating to the default route table).
    public init(name: String, remoteVirtualNetwork: ResourceID) {
        self.name = name
        self.remoteVirtualNetwork = remoteVirtualNetwork
    }
}

/// A static route on a hub VNet connection: prefixes reached through an IP inside the connected VNet.
public struct HubStaticRoute: Hashable, Sendable, Codable {
    /// Route name.
    public var name: String
    /// Destination prefixes.
    public var addressPrefixes: [IPv4Prefix]
    /// The appliance's IP in the connected VNet.
    public var nextHopIPAddress: IPv4Address?

    /// Creates a static route.
    public init(name: String, addressPrefixes: [IPv4Prefix], nextHopIPAddress: IPv4Address?) {
        self.name = name
        self.addressPrefixes = addressPrefixes
        self.nextHopIPAddress = nextHopIPAddress
    }
}

/// A hub route table (`virtualHubs/hubRouteTables`) with labels and static routes.
public struct HubRouteTable: Hashable, Sendable, Codable {
    /// The table's ARM ID.
    public var id: ResourceID
    /// Labels the table carries (`defaultRouteTable` carries `default`).
    public var labels: [String] = []
    /// Static routes.
    public var routes: [HubRoute] = []

    /// Creates a table.
    public init(id: ResourceID, labels: [String] = [], routes: [HubRoute] = []) {
        self.id = id
        self.labels = labels
        self.routes = routes
    }
    /// The table's name.
    public var name: String { id.name }
}

/// A static route in a hub route table: prefixes to a resource (a VNet connection or the hub's firewall).
public struct HubRoute: Hashable, Sendable, Codable {
    /// Route name.
    public var name: String
    /// Destination prefixes (`destinationType` CIDR).
    public var destinations: [IPv4Prefix]
    /// `nextHop`: a hub VNet connection ID or an Azure Firewall ID.
    public var nextHop: ResourceID

    /// Creates a route.
    public init(name: String, destinations: [IPv4Prefix], nextHop: ResourceID) {
        self.name = name
        self.destinations = destinations
        self.nextHop = nextHop
    }
}

/// Routing intent (`virtualHubs/routingIntent`): Internet and/or private traffic through the hub's security solution.
public struct RoutingIntent: Hashable, Sendable, Codable {
    /// One routing policy.
    public struct Policy: Hashable, Sendable, Codable {
        /// `Internet` or `PrivateTraffic`.
        public enum Destination: String, Hashable, Sendable, Codable, CaseIterable {
            case internet = "Internet"
            case privateTraffic = "PrivateTraffic"
        }
        /// Policy name.
        public var name: String
        /// What the policy covers.
        public var destinations: [Destination]
        /// The next hop (the hub's Azure Firewall or an NVA).
        public var nextHop: ResourceID

        /// Creates a policy.
        public init(name: String, destinations: [Destination], nextHop: ResourceID) {
            self.name = name
            self.destinations = destinations
            self.nextHop = nextHop
        }
    }
    /// The routing intent's name.
    public var name: String
    /// Routing policies.
    public var policies: [Policy]
    /// Extra prefixes private traffic covers beyond RFC 1918 (`Private Traffic Prefixes` in Firewall Manager), if declared.
    public var additionalPrivatePrefixes: [IPv4Prefix] = []

    /// Creates routing intent.
    public init(name: String, policies: [Policy]) {
        self.name = name
        self.policies = policies
    }

    /// The next hop for a kind of traffic, if a policy covers it.
    public func nextHop(for destination: Policy.Destination) -> ResourceID? {
        policies.first { $0.destinations.contains(destination) }?.nextHop
    }
}
