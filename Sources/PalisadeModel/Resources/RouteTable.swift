/// A route table with user-defined routes (docs/semantics.md#user-defined-routes).
public struct RouteTable: AzureResource {
    public static let resourceType = ResourceType.routeTable
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// User-defined routes.
    public var routes: [Route] = []
    /// `disableBgpRoutePropagation` (docs/semantics.md#gateway-route-propagation); Azure default false.
    public var disableBgpRoutePropagation = false

    /// Creates an empty route table.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .routeTable(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .routeTable(let value) = resource { return value }
        return nil
    }
}

/// A user-defined route.
public struct Route: Hashable, Sendable, Codable {
    /// Route name.
    public var name: String
    /// The destination: a prefix or a service tag (docs/semantics.md#service-tags-in-routes).
    public var destination: RouteDestination
    /// Next hop type (docs/semantics.md#user-defined-routes).
    public var nextHopType: NextHopType
    /// Next hop IP for `VirtualAppliance`.
    public var nextHopIPAddress: IPv4Address?

    /// Creates a route.
    public init(name: String, destination: RouteDestination, nextHopType: NextHopType, nextHopIPAddress: IPv4Address? = nil) {
        self.name = name
        self.destination = destination
        self.nextHopType = nextHopType
        self.nextHopIPAddress = nextHopIPAddress
    }
}

/// A route's `addressPrefix`: a CIDR or a service tag name.
public enum RouteDestination: Hashable, Sendable, Codable, CustomStringConvertible {
    case prefix(IPv4Prefix)
    case serviceTag(String)

    /// Parses a route `addressPrefix`.
    public static func parse(_ text: String) -> RouteDestination {
        if let parsed = IPv4Prefix.parse(text) { return .prefix(parsed.prefix) }
        return .serviceTag(text)
    }

    public var description: String {
        switch self {
        case .prefix(let prefix): prefix.description
        case .serviceTag(let tag): tag
        }
    }
}

/// Next hop types in Network Watcher's vocabulary (docs/semantics.md#system-routes, #optional-system-routes, #user-defined-routes).
public enum NextHopType: String, Hashable, Sendable, Codable, CaseIterable {
    case virtualNetworkGateway = "VirtualNetworkGateway"
    case vnetLocal = "VnetLocal"
    case internet = "Internet"
    case virtualAppliance = "VirtualAppliance"
    case none = "None"
    case vnetPeering = "VNetPeering"
    case virtualNetworkServiceEndpoint = "VirtualNetworkServiceEndpoint"

    /// Whether users may set this type in a UDR (docs/semantics.md#user-defined-routes).
    public var isUserSelectable: Bool {
        switch self {
        case .virtualNetworkGateway, .vnetLocal, .internet, .virtualAppliance, .none: true
        case .vnetPeering, .virtualNetworkServiceEndpoint: false
        }
    }
}
