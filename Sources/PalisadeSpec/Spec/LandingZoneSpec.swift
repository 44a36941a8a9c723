import PalisadeModel

/// An existing enterprise landing zone the environment joins as a spoke: the platform team's hub (a hub VNet or a
/// Virtual WAN hub), its central firewall, its private DNS zones and DNS Private Resolver, and the address space the
/// platform allotted. The design then creates only the spoke; what the spec says about the platform is kept in the
/// graph as existing resources, so the proofs run over spoke and hub together while renderers emit only the spoke.
public struct LandingZoneSpec: Sendable, Hashable, Decodable {
    /// The address space the platform allotted to this spoke; the spoke VNet's address space.
    public var addressSpace: IPv4Prefix
    /// The hub VNet (hub-and-spoke topology).
    public var hub: HubNetworkSpec?
    /// The Virtual WAN hub (Virtual WAN topology).
    public var virtualHub: VirtualHubSpec?
    /// The central Azure Firewall.
    public var firewall: CentralFirewallSpec
    /// The platform's DNS: resolver inbound address and private DNS zones.
    public var dns: PlatformDnsSpec
    /// An existing spoke VNet (and subnets) to reuse instead of creating the spoke VNet; nil: the design creates it.
    public var spoke: ExistingSpokeSpec?

    enum CodingKeys: String, SpecKeys { case addressSpace, hub, virtualHub, firewall, dns, spoke }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        addressSpace = try c.decode(IPv4Prefix.self, forKey: .addressSpace)
        hub = try c.decodeIfPresent(HubNetworkSpec.self, forKey: .hub)
        virtualHub = try c.decodeIfPresent(VirtualHubSpec.self, forKey: .virtualHub)
        firewall = try c.decode(CentralFirewallSpec.self, forKey: .firewall)
        dns = try c.decode(PlatformDnsSpec.self, forKey: .dns)
        spoke = try c.decodeIfPresent(ExistingSpokeSpec.self, forKey: .spoke)
    }
}

/// An existing spoke VNet (often created by the platform's subscription vending) that the design reuses: the VNet is
/// referenced, never created; subnets listed under `subnets` are reused by role, and the design creates only the
/// subnets it still needs, in free space of `landingZone.addressSpace`.
public struct ExistingSpokeSpec: Sendable, Hashable, Decodable {
    /// The spoke VNet's resource ID; it must be in the spec's subscription and resource group.
    public var virtualNetworkId: String
    /// The VNet's address space as it exists; `[landingZone.addressSpace]` when absent.
    public var addressSpace: [IPv4Prefix]?
    /// Prefixes other subnets of the VNet already hold (not reused); new subnets avoid them.
    public var occupied: [IPv4Prefix]
    /// Existing subnets to reuse, by what they host.
    public var subnets: ReusedSubnetsSpec

    enum CodingKeys: String, SpecKeys { case virtualNetworkId, addressSpace, occupied, subnets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        virtualNetworkId = try c.decode(String.self, forKey: .virtualNetworkId)
        addressSpace = try c.decodeIfPresent([IPv4Prefix].self, forKey: .addressSpace)
        occupied = try c.value(.occupied, or: [])
        subnets = try c.value(.subnets, or: ReusedSubnetsSpec())
    }
}

/// Existing subnets reused by role; a role left out gets a new subnet.
public struct ReusedSubnetsSpec: Sendable, Hashable, Decodable {
    /// The subnet compute clusters and instances join.
    public var compute: ReusedSubnetSpec?
    /// The subnet the private endpoints go in.
    public var privateEndpoints: ReusedSubnetSpec?
    /// The jumpbox's subnet.
    public var jumpbox: ReusedSubnetSpec?

    enum CodingKeys: String, SpecKeys { case compute, privateEndpoints, jumpbox }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        compute = try c.decodeIfPresent(ReusedSubnetSpec.self, forKey: .compute)
        privateEndpoints = try c.decodeIfPresent(ReusedSubnetSpec.self, forKey: .privateEndpoints)
        jumpbox = try c.decodeIfPresent(ReusedSubnetSpec.self, forKey: .jumpbox)
    }

    /// None reused.
    public init() {}

    /// The reused subnets with their role and key, in a fixed order.
    public var all: [(use: SubnetUse, key: String, subnet: ReusedSubnetSpec)] {
        [(SubnetUse.compute, "compute", compute), (.privateEndpoints, "privateEndpoints", privateEndpoints), (.jumpbox, "jumpbox", jumpbox)]
            .compactMap { use, key, subnet in subnet.map { (use, key, $0) } }
    }
}

/// One existing subnet: its name in the spoke VNet and its prefix as it exists.
public struct ReusedSubnetSpec: Sendable, Hashable, Decodable {
    /// The subnet's name.
    public var name: String
    /// Its address prefix.
    public var prefix: IPv4Prefix

    enum CodingKeys: String, SpecKeys { case name, prefix }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        prefix = try c.decode(IPv4Prefix.self, forKey: .prefix)
    }
}

/// The platform's hub VNet, by resource ID, with what the spoke's proofs need to know of it.
public struct HubNetworkSpec: Sendable, Hashable, Decodable {
    /// The hub VNet's resource ID.
    public var virtualNetworkId: String
    /// The hub VNet's address space.
    public var addressSpace: [IPv4Prefix]
    /// Whether the hub has a VPN or ExpressRoute gateway the spoke uses (gateway transit).
    public var gateway: Bool
    /// The name of the spoke-side peering; `peer-<name>-to-hub` when absent.
    public var peeringName: String?

    enum CodingKeys: String, SpecKeys { case virtualNetworkId, addressSpace, gateway, peeringName }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        virtualNetworkId = try c.decode(String.self, forKey: .virtualNetworkId)
        addressSpace = try c.decode([IPv4Prefix].self, forKey: .addressSpace)
        gateway = try c.value(.gateway, or: false)
        peeringName = try c.decodeIfPresent(String.self, forKey: .peeringName)
    }
}

/// A Virtual WAN hub the spoke connects to.
public struct VirtualHubSpec: Sendable, Hashable, Decodable {
    /// The virtual hub's resource ID.
    public var id: String
    /// The hub's address prefix.
    public var addressPrefix: IPv4Prefix
    /// Whether routing intent sends internet and private traffic through the secured hub's firewall (then the spoke
    /// needs no route table: the hub programs the routes).
    public var routingIntent: Bool

    enum CodingKeys: String, SpecKeys { case id, addressPrefix, routingIntent }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        addressPrefix = try c.decode(IPv4Prefix.self, forKey: .addressPrefix)
        routingIntent = try c.value(.routingIntent, or: true)
    }
}

/// The central firewall: where the spoke routes, and whose policy takes this workspace's rule collection group.
public struct CentralFirewallSpec: Sendable, Hashable, Decodable {
    /// The firewall's resource ID.
    public var id: String
    /// The firewall's private IP (the next hop of the spoke's default route).
    public var privateIp: IPv4Address
    /// The firewall policy's resource ID; the platform team adds the generated rule collection group to it.
    public var policyId: String
    /// The priority of this workspace's rule collection group in the platform policy.
    public var ruleCollectionGroupPriority: Int

    enum CodingKeys: String, SpecKeys { case id, privateIp, policyId, ruleCollectionGroupPriority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        privateIp = try c.decode(IPv4Address.self, forKey: .privateIp)
        policyId = try c.decode(String.self, forKey: .policyId)
        ruleCollectionGroupPriority = try c.value(.ruleCollectionGroupPriority, or: 1000)
    }
}

/// The platform's DNS.
public struct PlatformDnsSpec: Sendable, Hashable, Decodable {
    /// The DNS Private Resolver inbound endpoint's address: the spoke VNet's DNS server.
    public var resolverInboundIp: IPv4Address
    /// The VNet of the resolver's inbound endpoint, when it is not the hub VNet (required with Virtual WAN).
    public var resolverVirtualNetwork: ResolverNetworkSpec?
    /// The platform-owned private DNS zones, by resource ID.
    public var privateDnsZones: [String]
    /// Whether the platform's Azure Policy links every platform zone to new spoke VNets.
    public var linkedByPolicy: Bool

    enum CodingKeys: String, SpecKeys { case resolverInboundIp, resolverVirtualNetwork, privateDnsZones, linkedByPolicy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        resolverInboundIp = try c.decode(IPv4Address.self, forKey: .resolverInboundIp)
        resolverVirtualNetwork = try c.decodeIfPresent(ResolverNetworkSpec.self, forKey: .resolverVirtualNetwork)
        privateDnsZones = try c.decode([String].self, forKey: .privateDnsZones)
        linkedByPolicy = try c.value(.linkedByPolicy, or: false)
    }
}

/// The VNet that holds the DNS Private Resolver's inbound endpoint.
public struct ResolverNetworkSpec: Sendable, Hashable, Decodable {
    /// The VNet's resource ID.
    public var id: String
    /// Its address space.
    public var addressSpace: [IPv4Prefix]

    enum CodingKeys: String, SpecKeys { case id, addressSpace }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        addressSpace = try c.decode([IPv4Prefix].self, forKey: .addressSpace)
    }
}
