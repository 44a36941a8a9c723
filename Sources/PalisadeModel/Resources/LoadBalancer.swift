/// An Azure Load Balancer: frontends that forward to backend pools by load-balancing and inbound NAT rules
/// (https://learn.microsoft.com/azure/load-balancer/components, docs/semantics.md#load-balancers).
public struct LoadBalancer: AzureResource {
    public static let resourceType = ResourceType.loadBalancer
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Basic`, `Standard` or `Gateway`.
    public var sku = "Standard"
    /// Frontend IP configurations: a private address in a subnet (internal) or a public IP (public).
    public var frontends: [LoadBalancerFrontend] = []
    /// Backend pools.
    public var backendPools: [LoadBalancerBackendPool] = []
    /// Load-balancing rules.
    public var rules: [LoadBalancingRule] = []
    /// Inbound NAT rules (one frontend port to one backend instance's port).
    public var inboundNatRules: [InboundNatRule] = []
    /// Health probes.
    public var probes: [LoadBalancerProbe] = []

    /// Creates a load balancer.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        frontends.flatMap { [$0.subnet, $0.publicIPAddress].compactMap { $0 } }
    }
    public var asResource: Resource { .loadBalancer(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .loadBalancer(let value) = resource { return value }
        return nil
    }
}

/// A frontend IP configuration.
public struct LoadBalancerFrontend: Hashable, Sendable, Codable {
    /// Frontend name (rules refer to it).
    public var name: String
    /// The subnet of an internal frontend.
    public var subnet: ResourceID?
    /// The private address of an internal frontend, when static or known.
    public var privateIPAddress: IPv4Address?
    /// The public IP of a public frontend.
    public var publicIPAddress: ResourceID?

    /// Creates a frontend.
    public init(name: String, subnet: ResourceID? = nil, privateIPAddress: IPv4Address? = nil, publicIPAddress: ResourceID? = nil) {
        self.name = name
        self.subnet = subnet
        self.privateIPAddress = privateIPAddress
        self.publicIPAddress = publicIPAddress
    }
}

/// A backend pool. Members are NIC IP configurations (declared on the NIC, `loadBalancerBackendAddressPools`,
/// or here by ID) or addresses in a virtual network (`loadBalancerBackendAddresses`).
public struct LoadBalancerBackendPool: Hashable, Sendable, Codable {
    /// Pool name.
    public var name: String
    /// Member NIC IP configurations, by ID (`…/networkInterfaces/<nic>/ipConfigurations/<name>`).
    public var networkInterfaceIPConfigurations: [ResourceID] = []
    /// Members given by address.
    public var addresses: [IPv4Address] = []

    /// Creates a pool.
    public init(name: String) { self.name = name }
}

/// A load-balancing rule: traffic to a frontend port goes to the pool on the backend port.
public struct LoadBalancingRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// The frontend's name.
    public var frontend: String
    /// The backend pool's name.
    public var backendPool: String?
    /// `Tcp`, `Udp` or `All`.
    public var `protocol` = "Tcp"
    /// Frontend port (0 with `All` for HA ports: every port).
    public var frontendPort: Int
    /// Backend port.
    public var backendPort: Int
    /// The health probe's name.
    public var probe: String?
    /// Floating IP (direct server return): the backend sees the frontend address as the destination.
    public var enableFloatingIP = false

    /// Creates a rule.
    public init(name: String, frontend: String, backendPool: String?, protocol: String = "Tcp", frontendPort: Int, backendPort: Int) {
        self.name = name
        self.frontend = frontend
        self.backendPool = backendPool
        self.protocol = `protocol`
        self.frontendPort = frontendPort
        self.backendPort = backendPort
    }
}

/// An inbound NAT rule: one frontend port to one backend IP configuration's port.
public struct InboundNatRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// The frontend's name.
    public var frontend: String
    /// `Tcp`, `Udp` or `All`.
    public var `protocol` = "Tcp"
    /// Frontend port.
    public var frontendPort: Int
    /// Backend port.
    public var backendPort: Int
    /// The NIC IP configuration the rule targets (declared on the NIC, `loadBalancerInboundNatRules`, or here).
    public var backendIPConfiguration: ResourceID?

    /// Creates a rule.
    public init(name: String, frontend: String, protocol: String = "Tcp", frontendPort: Int, backendPort: Int) {
        self.name = name
        self.frontend = frontend
        self.protocol = `protocol`
        self.frontendPort = frontendPort
        self.backendPort = backendPort
    }
}

/// A health probe; probes come from 168.63.129.16, the `AzureLoadBalancer` tag.
public struct LoadBalancerProbe: Hashable, Sendable, Codable {
    /// Probe name.
    public var name: String
    /// `Tcp`, `Http` or `Https`.
    public var `protocol` = "Tcp"
    /// The backend port probed.
    public var port: Int

    /// Creates a probe.
    public init(name: String, protocol: String = "Tcp", port: Int) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
    }
}
