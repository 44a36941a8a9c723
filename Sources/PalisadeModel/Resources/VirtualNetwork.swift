/// A virtual network: address spaces, DNS servers and peerings. Its subnets are separate `Subnet` resources.
public struct VirtualNetwork: AzureResource {
    public static let resourceType = ResourceType.virtualNetwork
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Address prefixes of the VNet.
    public var addressSpace: [IPv4Prefix] = []
    /// Custom DNS servers; empty means Azure-provided DNS (168.63.129.16). docs/semantics.md#azure-dns-resolution-order.
    public var dnsServers: [IPv4Address] = []
    /// Peerings from this VNet to others.
    public var peerings: [VirtualNetworkPeering] = []

    /// Creates a VNet with Azure's defaults.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { peerings.map(\.remoteVirtualNetwork) }
    public var asResource: Resource { .virtualNetwork(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualNetwork(let value) = resource { return value }
        return nil
    }
}

/// One side of a VNet peering docs/semantics.md#peering-non-transitive, #gateway-transit).
public struct VirtualNetworkPeering: Hashable, Sendable, Codable {
    /// The peering's name.
    public var name: String
    /// The VNet on the other side.
    public var remoteVirtualNetwork: ResourceID
    /// "Traffic to remote virtual network" (docs/semantics.md#virtualnetwork-tag); Azure default true.
    public var allowVirtualNetworkAccess = true
    /// Accept packets not originating in the remote VNet (docs/semantics.md#peering-forwarded-traffic); Azure default false.
    public var allowForwardedTraffic = false
    /// Let the remote VNet use this VNet's gateway (docs/semantics.md#gateway-transit).
    public var allowGatewayTransit = false
    /// Use the remote VNet's gateway (docs/semantics.md#gateway-transit).
    public var useRemoteGateways = false

    /// Creates a peering with Azure's defaults.
    public init(name: String, remoteVirtualNetwork: ResourceID) {
        self.name = name
        self.remoteVirtualNetwork = remoteVirtualNetwork
    }
}

/// A subnet of a virtual network.
public struct Subnet: AzureResource {
    public static let resourceType = ResourceType.subnet
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The subnet's prefixes (`addressPrefix` or `addressPrefixes`).
    public var addressPrefixes: [IPv4Prefix] = []
    /// The attached NSG, if any (docs/semantics.md#nsg-subnet-and-nic).
    public var networkSecurityGroup: ResourceID?
    /// The attached route table, if any (docs/semantics.md#user-defined-routes).
    public var routeTable: ResourceID?
    /// The attached NAT gateway, if any.
    public var natGateway: ResourceID?
    /// Service names the subnet is delegated to, e.g. `Microsoft.Network/dnsResolvers` (docs/semantics.md#subnet-delegation).
    public var delegations: [String] = []
    /// Private endpoint network policies; Azure's default for a new subnet is `Disabled` (docs/semantics.md#private-endpoint-network-policies).
    public var privateEndpointNetworkPolicies: PrivateEndpointNetworkPolicies = .disabled
    /// Private Link service network policies; Azure's default is `Enabled` (docs/semantics.md#private-link-service-network-policies).
    public var privateLinkServiceNetworkPolicies: EnablementState = .enabled
    /// Service endpoints enabled on the subnet (docs/semantics.md#optional-system-routes).
    public var serviceEndpoints: [ServiceEndpoint] = []
    /// Service endpoint policies attached to the subnet.
    public var serviceEndpointPolicies: [ResourceID] = []
    /// `defaultOutboundAccess`; nil means the platform default (enabled for subnets created before the
    /// 2025 change). False makes the subnet private.
    public var defaultOutboundAccess: Bool?

    /// Creates a subnet with Azure's defaults.
    public init(id: ResourceID) { self.id = id }

    /// The VNet the subnet belongs to.
    public var virtualNetwork: ResourceID { id.parent ?? id }

    public var references: [ResourceID] {
        [networkSecurityGroup, routeTable, natGateway].compactMap { $0 } + serviceEndpointPolicies
    }
    public var asResource: Resource { .subnet(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .subnet(let value) = resource { return value }
        return nil
    }
}

/// Values of a subnet's `privateEndpointNetworkPolicies` docs/semantics.md#private-endpoint-network-policies).
public enum PrivateEndpointNetworkPolicies: String, Hashable, Sendable, Codable, CaseIterable {
    case disabled = "Disabled"
    case enabled = "Enabled"
    case networkSecurityGroupEnabled = "NetworkSecurityGroupEnabled"
    case routeTableEnabled = "RouteTableEnabled"

    /// Whether NSG rules apply to private endpoints in the subnet (docs/semantics.md#private-endpoint-network-policies).
    public var appliesNetworkSecurityGroups: Bool { self == .enabled || self == .networkSecurityGroupEnabled }
    /// Whether UDRs can override the private endpoint /32 routes (docs/semantics.md#private-endpoint-network-policies).
    public var appliesRouteTables: Bool { self == .enabled || self == .routeTableEnabled }
}

/// A service endpoint on a subnet, e.g. `Microsoft.Storage` (docs/semantics.md#optional-system-routes).
public struct ServiceEndpoint: Hashable, Sendable, Codable {
    /// The service, e.g. `Microsoft.Storage`.
    public var service: String
    /// Regions the endpoint covers; empty means the VNet's region.
    public var locations: [String]

    /// Creates a service endpoint.
    public init(service: String, locations: [String] = []) {
        self.service = service
        self.locations = locations
    }
}
