import Foundation
import PalisadeModel

/// A subnet with everything questions need: effective routes, NSG, `VirtualNetwork` tag (docs/semantics.md#system-routes, #private-link-service-network-policies, #virtualnetwork-tag).
public struct CompiledSubnet: Sendable, Hashable {
    /// The subnet.
    public var id: ResourceID
    /// Its VNet.
    public var virtualNetwork: ResourceID
    /// `vnet/subnet`.
    public var displayName: String { "\(virtualNetwork.name)/\(id.name)" }
    /// Prefixes.
    public var prefixes: [IPv4Prefix]
    /// Subnet NSG.
    public var networkSecurityGroup: ResourceID?
    /// Route table.
    public var routeTable: ResourceID?
    /// Effective routes.
    public var routes: RouteTableView
    /// The `VirtualNetwork` tag as seen from this subnet (docs/semantics.md#virtualnetwork-tag).
    public var virtualNetworkTag: AddressSet
    /// The `Internet` tag as seen from this subnet (docs/semantics.md#internet-tag, #service-tags-in-routes).
    public var internetTag: AddressSet
    /// NAT gateway.
    public var natGateway: ResourceID?
    /// Default outbound access (nil in the input = platform default, treated as enabled; docs/semantics.md#default-outbound-access).
    public var defaultOutboundAccess: Bool
    /// Private endpoint network policies (docs/semantics.md#private-endpoint-network-policies).
    public var privateEndpointNetworkPolicies: PrivateEndpointNetworkPolicies
    /// Service endpoint services (docs/semantics.md#optional-system-routes).
    public var serviceEndpoints: [String]
    /// Service endpoint policies.
    public var serviceEndpointPolicies: [ResourceID]

    /// All addresses of the subnet.
    public var addresses: AddressSet { AddressSet.prefixes(prefixes) }
}

/// The compiled network: built once from a `ResourceGraph`; `trace` and `reach` read only this.
public struct NetworkModel: Sendable {
    /// Options used.
    public let options: NetworkOptions
    /// The source graph (for names in explanations).
    public let graph: ResourceGraph
    /// VNets by ID.
    public let virtualNetworks: [ResourceID: VirtualNetwork]
    /// Subnets by ID.
    public let subnets: [ResourceID: CompiledSubnet]
    /// Subnet IDs in resource-ID order.
    public let subnetOrder: [ResourceID]
    /// Private endpoints / NICs / firewalls by private IP.
    public let endpoints: [IPv4Address: Endpoint]
    /// Connected peerings: (from, to) → the `from` side's settings (docs/semantics.md#peering-non-transitive).
    let peerings: [PeeringKey: VirtualNetworkPeering]
    /// Compiled NSGs, keyed by NSG, evaluation subnet and direction.
    let securityGroups: [SecurityGroupKey: CompiledSecurityGroup]
    /// Firewalls in resource-ID order.
    public let firewalls: [CompiledFirewall]
    /// Public IPs that front something: address → (resource, kind).
    public let publicFronts: [IPv4Address: PublicFront]
    /// Point-to-site client pools.
    public let vpnClientPools: [IPv4Prefix]
    /// The VNet whose gateway serves point-to-site clients, if any.
    public let gatewayVirtualNetwork: ResourceID?
    /// Prefixes the gateway advertises to point-to-site clients: its VNet and peers that use it through
    /// gateway transit (docs/semantics.md#gateway-transit). Other destinations stay on the client's own Internet (split tunnel).
    public let vpnClientRoutes: [IPv4Prefix]
    /// Notes from compilation (dangling references, assumptions), sorted.
    public let notes: [String]
    let tags: TagResolver
    let dns: DNSModel
    /// Security admin rules per subnet and direction (docs/semantics.md#avnm-security-admin-rules).
    var adminRules: [AdminRuleKey: CompiledAdminRules] = [:]
    /// Virtual hub routers: stateless hops (docs/semantics.md#virtual-wan-hub-routing).
    var hubRouters: Set<IPv4Address> = []
    /// Address and subnet lookups, built on first use (see `ModelLookups`).
    let lookups = ModelLookups()

    struct PeeringKey: Hashable, Sendable { var from: ResourceID; var to: ResourceID }
    struct SecurityGroupKey: Hashable, Sendable { var nsg: ResourceID; var subnet: ResourceID; var direction: SecurityRule.Direction }

    /// What a public IP fronts.
    public struct PublicFront: Sendable, Hashable, Codable {
        /// The resource (NIC, Bastion, firewall, gateway).
        public var resource: ResourceID
        /// Its kind.
        public var kind: EndpointKind
        /// The private address behind it (NIC), if any.
        public var privateAddress: IPv4Address?
    }

    /// What a VPN gateway's public front accepts from the Internet: IKE and its NAT traversal (UDP 500 and 4500)
    /// for IPsec tunnels (site-to-site and IKEv2 clients), and TCP 443 when point-to-site clients use OpenVPN or
    /// SSTP (https://learn.microsoft.com/azure/vpn-gateway/point-to-site-about#protocol).
    public func gatewayListeners(_ gateway: ResourceID) -> [(protocol: IPProtocol, port: Int)] {
        var listeners: [(protocol: IPProtocol, port: Int)] = [(.udp, 500), (.udp, 4500)]
        let protocols = graph.resource(gateway, as: VirtualNetworkGateway.self)?.vpnClientConfiguration?.protocols ?? []
        if protocols.contains(where: { ["openvpn", "sstp"].contains($0.lowercased()) }) { listeners.append((.tcp, 443)) }
        return listeners
    }

    /// Compiles a graph (compile once, then ask).
    /// - Complexity: roughly O(subnets × routes + NSG rules × cubes); done once per graph.
    public static func compile(_ graph: ResourceGraph, options: NetworkOptions = NetworkOptions()) -> NetworkModel {
        let (graph, placeholderNotes) = PublicAddressPlaceholders.assign(graph)
        // docs/semantics.md#virtual-wan-hub-routing: virtual hubs as the managed networks Azure builds them from.
        let wan = VirtualWANExpansion.expand(graph)
        var builder = NetworkModelBuilder(graph: wan.graph, options: options)
        builder.notes.append(contentsOf: placeholderNotes + wan.notes)
        builder.hubLearnedRoutes = wan.learnedRoutes
        var model = builder.build()
        model.hubRouters = wan.routers
        return model
    }

    /// The compiled NSG for `nsg` evaluated in `subnet`.
    public func securityGroup(_ nsg: ResourceID, in subnet: ResourceID, _ direction: SecurityRule.Direction)
        -> CompiledSecurityGroup?
    {
        securityGroups[SecurityGroupKey(nsg: nsg, subnet: subnet, direction: direction)]
    }

    /// The subnet that contains an address, if any.
    public func subnet(containing address: IPv4Address) -> CompiledSubnet? {
        // First in resource-ID order, as VNets that are not connected may overlap.
        lookups.subnet(containing: address, in: self)
    }

    /// The VNet whose address space contains an address.
    public func virtualNetwork(containing address: IPv4Address) -> VirtualNetwork? {
        subnet(containing: address).flatMap { virtualNetworks[$0.virtualNetwork] }
            // The first VNet in resource-ID order whose address space holds it.
            ?? lookups.virtualNetwork(containing: address, in: self)
    }

    /// Resolves a name as seen by a resolver view (docs/semantics.md#azure-dns-resolution-order, #vpn-client-dns).
    public func resolve(_ name: String, from view: DNSView) -> DNSAnswer { dns.resolve(name, view: view, model: self) }

    /// The connected peering from one VNet to another, if both sides exist (docs/semantics.md#peering-non-transitive).
    public func peering(from: ResourceID, to: ResourceID) -> VirtualNetworkPeering? {
        peerings[PeeringKey(from: from, to: to)]
    }

    /// The hosts file a VPN client would need (docs/semantics.md#hosts-file): FQDN → private IP, sorted by name.
    public var hostsFile: [(name: String, address: IPv4Address)] {
        dns.hostsFile.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Builds a `NetworkModel` in ordered passes: VNets and peerings → endpoints and addresses → DNS → routes
/// → `VirtualNetwork` tags → NSGs → firewalls.
struct NetworkModelBuilder {
    let graph: ResourceGraph
    let options: NetworkOptions
    var notes: [String] = []
    /// Routes VNets learn from virtual hubs (docs/semantics.md#virtual-wan-hub-routing).
    var hubLearnedRoutes: [ResourceID: [HubLearnedRoute]] = [:]

    init(graph: ResourceGraph, options: NetworkOptions) {
        self.graph = graph
        self.options = options
    }

    mutating func build() -> NetworkModel {
        let vnets = Dictionary(graph.all(VirtualNetwork.self).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // docs/semantics.md#peering-non-transitive: a peering counts only when both sides exist.
        var peerings: [NetworkModel.PeeringKey: VirtualNetworkPeering] = [:]
        for vnet in vnets.values {
            for peering in vnet.peerings {
                guard let remote = vnets[peering.remoteVirtualNetwork] else {
                    notes.append("peering \(vnet.name)/\(peering.name): remote VNet not in the model (ignored, docs/semantics.md#peering-non-transitive)")
                    continue
                }
                if remote.peerings.contains(where: { $0.remoteVirtualNetwork == vnet.id }) {
                    peerings[.init(from: vnet.id, to: remote.id)] = peering
                } else {
                    notes.append("peering \(vnet.name)/\(peering.name) is Initiated only: \(remote.name) has no peering back (docs/semantics.md#peering-non-transitive)")
                }
            }
        }
        // docs/semantics.md#avnm-connectivity: connections Virtual Network Manager creates.
        let declared = Set(peerings.keys)
        for (key, peering) in connectivityPeerings(vnets) where !declared.contains(key) && !declared.contains(.init(from: key.to, to: key.from)) {
            peerings[key] = peering
        }
        let endpoints = allocateEndpoints()
        let tagUniverse = mentionedTags()
        let tags = TagResolver(catalog: options.serviceTags, mentionedTags: tagUniverse)

        // Gateways and point-to-site pools (docs/semantics.md#optional-system-routes, #gateway-transit).
        var gatewayVNets: Set<ResourceID> = []
        var pools: [IPv4Prefix] = []
        var gatewayVNet: ResourceID?
        for gateway in graph.all(VirtualNetworkGateway.self) {
            if let subnet = gateway.ipConfigurations.compactMap(\.subnet).first, let vnet = subnet.parent {
                gatewayVNets.insert(vnet)
                if let pool = gateway.vpnClientConfiguration?.addressPool, !pool.isEmpty {
                    pools += pool
                    gatewayVNet = gatewayVNet ?? vnet
                }
            }
        }

        var vpnRoutes: [IPv4Prefix] = []
        if let gatewayVNet {
            vpnRoutes = vnets[gatewayVNet]?.addressSpace ?? []
            for key in peerings.keys.sorted(by: { $0.from < $1.from }) where key.to == gatewayVNet {
                if peerings[key]?.useRemoteGateways == true, peerings[.init(from: gatewayVNet, to: key.from)]?.allowGatewayTransit == true {
                    vpnRoutes += vnets[key.from]?.addressSpace ?? []
                }
            }
        }

        // Routes per subnet.
        var subnets: [ResourceID: CompiledSubnet] = [:]
        let allSubnets = graph.all(Subnet.self)
        let peEndpoints = endpoints.values.filter { $0.kind == .privateEndpoint }.sorted { $0.address < $1.address }
        let subnetPolicies = Dictionary(allSubnets.map { ($0.id, $0.privateEndpointNetworkPolicies) }, uniquingKeysWith: { a, _ in a })
        // Indexes so that each subnet looks at its own VNet's peers and endpoints, not every peering and endpoint.
        let peersByVNet = Dictionary(grouping: peerings.keys, by: \.from).mapValues { $0.map(\.to).sorted() }
        let peEndpointsByVNet = Dictionary(grouping: peEndpoints.filter { $0.subnet.parent != nil }, by: { $0.subnet.parent! })
        for subnet in allSubnets {
            let vnetID = subnet.virtualNetwork
            guard let vnet = vnets[vnetID] else {
                notes.append("subnet \(subnet.id.name): VNet \(vnetID.name) not in the model (skipped)")
                continue
            }
            let table = graph.resource(subnet.routeTable, as: RouteTable.self)
            if subnet.routeTable != nil && table == nil {
                notes.append("subnet \(subnet.id.name): route table \(subnet.routeTable!.name) not in the model")
            }
            let peers = peersByVNet[vnetID] ?? []
            var routes: [EffectiveRoute] = []
            // docs/semantics.md#system-routes: VNet address space → VnetLocal.
            for prefix in vnet.addressSpace {
                routes.append(EffectiveRoute(name: "VNetLocal \(prefix)", origin: .default, addressPrefix: prefix.description,
                                             addresses: .prefixes([prefix]), nextHop: .vnetLocal, active: true,
                                             tieClass: 5, prefixLength: prefix.length))
            }
            // docs/semantics.md#optional-system-routes: peering → VNetPeering.
            for peer in peers {
                for prefix in vnets[peer]?.addressSpace ?? [] {
                    routes.append(EffectiveRoute(name: "Peering \(peer.name)", origin: .default, addressPrefix: prefix.description,
                                                 addresses: .prefixes([prefix]), nextHop: .vnetPeering(peer), active: true,
                                                 tieClass: 5, prefixLength: prefix.length))
                }
            }
            // docs/semantics.md#optional-system-routes, #gateway-transit, #gateway-route-propagation: gateway prefixes (own gateway or remote gateway transit), unless propagation is disabled.
            let usesRemote = peers.contains { peer in
                (peerings[.init(from: vnetID, to: peer)]?.useRemoteGateways ?? false)
                    && (peerings[.init(from: peer, to: vnetID)]?.allowGatewayTransit ?? false) && gatewayVNets.contains(peer)
            }
            if (gatewayVNets.contains(vnetID) || usesRemote), !(table?.disableBgpRoutePropagation ?? false) {
                for prefix in pools {
                    // docs/semantics.md#udr-longest-prefix-match: VNet/peering system routes beat gateway routes even when less specific.
                    let local = AddressSet.prefixes(vnet.addressSpace + peers.flatMap { vnets[$0]?.addressSpace ?? [] })
                    routes.append(EffectiveRoute(name: "Gateway \(prefix)", origin: .virtualNetworkGateway,
                                                 addressPrefix: prefix.description,
                                                 addresses: AddressSet.prefixes([prefix]).subtracting(local),
                                                 nextHop: .virtualNetworkGateway, active: true, tieClass: 6,
                                                 prefixLength: prefix.length))
                }
                // docs/semantics.md#on-premises-networks, #forced-tunnelling: on-premises prefixes and a default site's 0.0.0.0/0.
                let serving = gatewayVNets.contains(vnetID) ? vnetID : peers.first { peer in
                    (peerings[.init(from: vnetID, to: peer)]?.useRemoteGateways ?? false)
                        && (peerings[.init(from: peer, to: vnetID)]?.allowGatewayTransit ?? false) && gatewayVNets.contains(peer)
                }
                if let serving {
                    routes += onPremisesRoutes(gatewayVirtualNetwork: serving,
                                               local: .prefixes(vnet.addressSpace + peers.flatMap { vnets[$0]?.addressSpace ?? [] }))
                }
            }
            // docs/semantics.md#virtual-wan-hub-routing: routes learned from a virtual hub, unless gateway propagation is off;
            // like gateway routes they never take the VNet's own or peered space.
            if !(table?.disableBgpRoutePropagation ?? false) {
                let local = AddressSet.prefixes(vnet.addressSpace + peers.flatMap { vnets[$0]?.addressSpace ?? [] })
                for learned in hubLearnedRoutes[vnetID] ?? [] {
                    routes.append(EffectiveRoute(name: learned.name, origin: .virtualNetworkGateway, addressPrefix: learned.prefix.description,
                                                 addresses: AddressSet.prefixes([learned.prefix]).subtracting(local),
                                                 nextHop: .virtualAppliance(learned.nextHop), active: true, tieClass: 6,
                                                 prefixLength: learned.prefix.length))
                }
            }
            // docs/semantics.md#system-routes: 0.0.0.0/0 → Internet.
            routes.append(EffectiveRoute(name: "Default Internet", origin: .default, addressPrefix: "0.0.0.0/0",
                                         addresses: .all, nextHop: .internet, active: true, tieClass: 7, prefixLength: 0))
            // docs/semantics.md#system-routes: None routes.
            let userDefault = table?.routes.contains { if case .prefix(let p) = $0.destination { p.length == 0 } else { false } } ?? false
            if !(userDefault && options.userDefaultRouteRemovesNoneRoutes) {
                let candidates: [String] = switch options.noneRoutes {
                case .documented: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]
                case .observed: ["10.0.0.0/8", "100.64.0.0/10", "192.168.0.0/16", "25.33.80.0/20", "25.41.3.0/25"]
                case .omitted: []
                }
                for text in candidates {
                    let reserved = IPv4Prefix(text)!
                    // docs/semantics.md#system-routes: a VNet range equal to or containing the reserved prefix replaces it.
                    if vnet.addressSpace.contains(where: { $0.contains(reserved) }) { continue }
                    routes.append(EffectiveRoute(name: "None \(reserved)", origin: .default, addressPrefix: reserved.description,
                                                 addresses: .prefixes([reserved]), nextHop: .none, active: true,
                                                 tieClass: 7, prefixLength: reserved.length))
                }
            }
            // docs/semantics.md#optional-system-routes: service endpoints → VirtualNetworkServiceEndpoint (the service's regional tag).
            for endpoint in subnet.serviceEndpoints {
                guard let tag = NetworkModelBuilder.serviceEndpointTag(endpoint.service, region: vnet.location) else { continue }
                routes.append(EffectiveRoute(name: "ServiceEndpoint \(endpoint.service)", origin: .default, addressPrefix: tag,
                                             addresses: tags.resolve(tag), nextHop: .serviceEndpoint(endpoint.service),
                                             active: true, tieClass: 5, prefixLength: nil, tag: tag))
            }
            // docs/semantics.md#private-endpoint-routes, #private-endpoint-network-policies: private endpoint /32s from the own VNet and directly peered VNets.
            let userPrefixes: [IPv4Prefix] = (table?.routes ?? []).compactMap {
                if case .prefix(let p) = $0.destination { p } else { nil }
            }
            // The endpoints of the own VNet and directly peered VNets, in address order.
            let reachableEndpoints = Set([vnetID] + peers).flatMap { peEndpointsByVNet[$0] ?? [] }.sorted { $0.address < $1.address }
            for pe in reachableEndpoints {
                guard let peVNet = pe.subnet.parent else { continue }
                let policy = subnetPolicies[pe.subnet] ?? .disabled
                var active = true
                var reason: String?
                if policy.appliesRouteTables {
                    let spaceLength = vnets[peVNet]?.addressSpace.first { $0.contains(pe.address) }?.length ?? 32
                    if let udr = userPrefixes.first(where: { $0.contains(pe.address) && $0.length >= spaceLength && $0.length > 0 }) {
                        active = false
                        reason = "UDR \(udr) (length ≥ /\(spaceLength)) overrides the private endpoint route: the PE subnet has privateEndpointNetworkPolicies=\(policy.rawValue) (docs/semantics.md#private-endpoint-network-policies)"
                    }
                }
                routes.append(EffectiveRoute(name: "PrivateEndpoint \(pe.displayName)", origin: .default,
                                             addressPrefix: "\(pe.address)/32", addresses: .address(pe.address),
                                             nextHop: .interfaceEndpoint(pe.address), active: active, invalidReason: reason,
                                             tieClass: policy.appliesRouteTables ? 7 : -1, prefixLength: 32))
            }
            // docs/semantics.md#user-defined-routes, #service-tags-in-routes: user-defined routes.
            for route in table?.routes ?? [] {
                var hop: NextHop
                var active = true
                var reason: String?
                switch route.nextHopType {
                case .virtualAppliance:
                    if let ip = route.nextHopIPAddress { hop = .virtualAppliance(ip) } else {
                        hop = .none
                        active = false
                        reason = "VirtualAppliance without next hop IP (docs/semantics.md#next-hop-reachability)"
                    }
                case .vnetLocal: hop = .vnetLocal
                case .internet: hop = .internet
                case .none: hop = .none
                case .virtualNetworkGateway: hop = .virtualNetworkGateway
                case .vnetPeering, .virtualNetworkServiceEndpoint:
                    hop = .none
                    active = false
                    reason = "\(route.nextHopType.rawValue) cannot be chosen by users (docs/semantics.md#user-defined-routes)"
                }
                switch route.destination {
                case .prefix(let prefix):
                    routes.append(EffectiveRoute(name: route.name, origin: .user, addressPrefix: prefix.description,
                                                 addresses: .prefixes([prefix]), nextHop: hop, active: active,
                                                 invalidReason: reason, tieClass: 0, prefixLength: prefix.length))
                case .serviceTag(let tag):
                    let forbidden = ["azureplatformdns", "azureplatformimds", "azureplatformlkm", "virtualnetwork",
                                     "azureloadbalancer", "internet"]
                    if forbidden.contains(tag.lowercased()) {
                        active = false
                        reason = "\(tag) cannot be a UDR prefix (docs/semantics.md#service-tags-in-routes)"
                    }
                    routes.append(EffectiveRoute(name: route.name, origin: .user, addressPrefix: tag,
                                                 addresses: tags.resolve(tag), nextHop: hop, active: active,
                                                 invalidReason: reason, tieClass: 1 + ServiceTagCatalog.tieRank(tag),
                                                 prefixLength: nil, tag: tag))
                }
            }
            let view = RouteTableView(routes: routes, tags: tags)
            // docs/semantics.md#virtualnetwork-tag: VirtualNetwork tag per subnet.
            var vnetTag = AddressSet.address(.azureHost)
            let blockedPeers = Set(peers.filter { peerings[.init(from: vnetID, to: $0)]?.allowVirtualNetworkAccess == false })
            for route in routes where route.active {
                switch route.nextHop {
                case .vnetLocal where route.origin == .default: vnetTag = vnetTag.union(route.addresses)
                case .vnetPeering(let peer) where !blockedPeers.contains(peer): vnetTag = vnetTag.union(route.addresses)  // docs/semantics.md#virtualnetwork-tag
                case .virtualNetworkGateway where route.origin != .user: vnetTag = vnetTag.union(route.addresses)
                default: break
                }
                if route.origin == .user, options.virtualNetworkTag == .routeDerived { vnetTag = vnetTag.union(route.addresses) }
            }
            // docs/semantics.md#internet-tag, #service-tags-in-routes: Internet = public unicast plus every atom (atoms are public; docs/engine-decisions.md, symbolic atoms).
            var internet = AddressSet(ips: WellKnownRanges.publicUnicast, atoms: .all)
            if options.udrTagsOutsideInternetTag {
                for route in routes where route.origin == .user && route.tag != nil { internet = internet.subtracting(route.addresses) }
            }
            subnets[subnet.id] = CompiledSubnet(
                id: subnet.id, virtualNetwork: vnetID, prefixes: subnet.addressPrefixes,
                networkSecurityGroup: subnet.networkSecurityGroup, routeTable: subnet.routeTable, routes: view,
                virtualNetworkTag: vnetTag, internetTag: internet, natGateway: subnet.natGateway,
                defaultOutboundAccess: subnet.defaultOutboundAccess ?? true,
                privateEndpointNetworkPolicies: subnet.privateEndpointNetworkPolicies,
                serviceEndpoints: subnet.serviceEndpoints.map(\.service),
                serviceEndpointPolicies: subnet.serviceEndpointPolicies)
        }

        // NSGs per attachment point (docs/semantics.md#nsg-subnet-and-nic, #application-security-groups, #platform-traffic).
        var groups: [NetworkModel.SecurityGroupKey: CompiledSecurityGroup] = [:]
        var asgMembers: [ResourceID: IntervalSet] = [:]
        for endpoint in endpoints.values {
            for asg in endpoint.applicationSecurityGroups {
                asgMembers[asg] = (asgMembers[asg] ?? .empty).union(IntervalSet(address: endpoint.address))
            }
        }
        var attachments: [(ResourceID, ResourceID)] = []
        for subnet in subnets.values { if let nsg = subnet.networkSecurityGroup { attachments.append((nsg, subnet.id)) } }
        for endpoint in endpoints.values { if let nsg = endpoint.networkSecurityGroup { attachments.append((nsg, endpoint.subnet)) } }
        for (nsgID, subnetID) in attachments {
            guard let subnet = subnets[subnetID] else { continue }
            guard let nsg = graph.resource(nsgID, as: NetworkSecurityGroup.self) else {
                notes.append("NSG \(nsgID.name) is referenced but not in the model; treated as absent (allow)")
                continue
            }
            for direction in SecurityRule.Direction.allCases {
                let key = NetworkModel.SecurityGroupKey(nsg: nsgID, subnet: subnetID, direction: direction)
                if groups[key] != nil { continue }
                groups[key] = compileNSG(nsg, direction: direction, subnet: subnet, tags: tags, asgMembers: asgMembers)
            }
        }

        // DNS (docs/semantics.md#azure-dns-resolution-order, #workspace-names).
        let dns = buildDNS(endpoints: endpoints, tags: tags)

        // Public fronts.
        var fronts: [IPv4Address: NetworkModel.PublicFront] = [:]
        for endpoint in endpoints.values.sorted(by: { $0.address < $1.address }) {
            if let pip = endpoint.publicAddress {
                fronts[pip] = .init(resource: endpoint.resource, kind: endpoint.kind,
                                    privateAddress: endpoint.kind == .networkInterface ? endpoint.address : nil)
            }
        }
        for bastion in graph.all(BastionHost.self) {
            for config in bastion.ipConfigurations {
                if let pip = graph.resource(config.publicIPAddress, as: PublicIPAddress.self)?.ipAddress {
                    fronts[pip] = .init(resource: bastion.id, kind: .bastionHost, privateAddress: nil)
                }
            }
        }
        // A VPN gateway's public IP terminates tunnels from the Internet (docs/semantics.md#vpn-gateway-front).
        for gateway in graph.all(VirtualNetworkGateway.self) {
            for config in gateway.ipConfigurations {
                if let pip = graph.resource(config.publicIPAddress, as: PublicIPAddress.self)?.ipAddress {
                    fronts[pip] = .init(resource: gateway.id, kind: .virtualNetworkGateway, privateAddress: nil)
                }
            }
        }
        let order = subnets.keys.sorted()
        var model = NetworkModel(
            options: options, graph: graph, virtualNetworks: vnets, subnets: subnets,
            subnetOrder: order, endpoints: endpoints, peerings: peerings, securityGroups: groups,
            firewalls: [], publicFronts: fronts, vpnClientPools: pools, gatewayVirtualNetwork: gatewayVNet,
            vpnClientRoutes: vpnRoutes,
            notes: [], tags: tags, dns: dns)
        // Firewalls need DNS for network-rule FQDNs (docs/semantics.md#firewall-network-rules).
        let firewalls = compileFirewalls(endpoints: endpoints, tags: tags, model: model)
        for fw in firewalls { for pip in fw.publicAddresses { fronts[pip] = .init(resource: fw.id, kind: .azureFirewall, privateAddress: nil) } }
        model = NetworkModel(
            options: options, graph: graph, virtualNetworks: vnets, subnets: subnets,
            subnetOrder: order, endpoints: endpoints, peerings: peerings, securityGroups: groups,
            firewalls: firewalls, publicFronts: fronts, vpnClientPools: pools, gatewayVirtualNetwork: gatewayVNet,
            vpnClientRoutes: vpnRoutes,
            notes: notes.sorted(), tags: tags, dns: dns)
        model.adminRules = compileAdminRules(subnets: subnets, tags: tags)
        return model
    }

    /// The tag a service endpoint's route uses (docs/semantics.md#optional-system-routes): the service's regional tag.
    static func serviceEndpointTag(_ service: String, region: String?) -> String? {
        let base: String? = switch service.lowercased() {
        case "microsoft.storage", "microsoft.storage.global": "Storage"
        case "microsoft.keyvault": "AzureKeyVault"
        case "microsoft.containerregistry": "AzureContainerRegistry"
        case "microsoft.sql": "Sql"
        case "microsoft.azurecosmosdb": "AzureCosmosDB"
        case "microsoft.eventhub": "EventHub"
        case "microsoft.servicebus": "ServiceBus"
        case "microsoft.cognitiveservices": "CognitiveServicesManagement"
        default: nil
        }
        guard let base else { return nil }
        if let region, !region.isEmpty, service.lowercased() != "microsoft.storage.global" {
            return "\(base).\(region.replacingOccurrences(of: " ", with: ""))"
        }
        return base
    }

    // MARK: Endpoints and address allocation

    /// Collects every private address; dynamic ones are allocated from the subnet's .4 upward in resource-ID
    /// order, skipping static ones (docs/engine-decisions.md, addresses; an observed behaviour, flagged as assumed).
    mutating func allocateEndpoints() -> [IPv4Address: Endpoint] {
        struct Claim { var endpoint: Endpoint; var fixed: IPv4Address? }
        var claims: [Claim] = []
        let vmByNIC: [ResourceID: ResourceID] = Dictionary(
            graph.all(VirtualMachine.self).flatMap { vm in vm.networkInterfaces.map { ($0, vm.id) } },
            uniquingKeysWith: { a, _ in a })
        func publicAddress(_ id: ResourceID?) -> IPv4Address? { graph.resource(id, as: PublicIPAddress.self)?.ipAddress }
        func blank(_ kind: EndpointKind, _ resource: ResourceID, _ subnet: ResourceID) -> Endpoint {
            Endpoint(address: IPv4Address(0), kind: kind, resource: resource, subnet: subnet, networkSecurityGroup: nil,
                     applicationSecurityGroups: [], publicAddress: nil, ipForwarding: false, addressAssumed: false)
        }
        for nic in graph.all(NetworkInterface.self) {
            for config in nic.ipConfigurations {
                guard let subnet = config.subnet else { continue }
                var e = blank(.networkInterface, nic.id, subnet)
                e.networkSecurityGroup = nic.networkSecurityGroup
                e.applicationSecurityGroups = config.applicationSecurityGroups
                e.publicAddress = publicAddress(config.publicIPAddress)
                e.ipForwarding = nic.enableIPForwarding
                e.virtualMachine = vmByNIC[nic.id]
                claims.append(Claim(endpoint: e, fixed: config.privateIPAddress))
            }
        }
        for pe in graph.all(PrivateEndpoint.self) {
            guard let subnet = pe.subnet else { continue }
            let targetResource: Resource? = pe.target.flatMap { graph[$0] }
            let region = targetResource?.payload.location ?? pe.location
            for group in pe.groupIDs {
                for member in PrivateEndpointMembers.members(groupID: group, target: pe.target ?? pe.id, region: region) {
                    var e = blank(.privateEndpoint, pe.id, subnet)
                    e.groupID = group
                    e.memberName = member
                    e.target = pe.target
                    let fixed = pe.ipConfigurations.first {
                        $0.groupID.lowercased() == group.lowercased()
                            && ($0.memberName.lowercased() == member.lowercased() || (member == "registry" && $0.memberName.lowercased() == group.lowercased()))
                    }?.privateIPAddress ?? PrivateEndpointMembers.staticAddress(pe, group: group, member: member)
                    claims.append(Claim(endpoint: e, fixed: fixed))
                }
            }
        }
        for fw in graph.all(AzureFirewall.self) {
            for config in fw.ipConfigurations.prefix(1) {
                guard let subnet = config.subnet else { continue }
                var e = blank(.azureFirewall, fw.id, subnet)
                e.publicAddress = publicAddress(config.publicIPAddress)
                e.ipForwarding = true
                claims.append(Claim(endpoint: e, fixed: config.privateIPAddress))
            }
        }
        for bastion in graph.all(BastionHost.self) {
            for config in bastion.ipConfigurations {
                guard let subnet = config.subnet else { continue }
                claims.append(Claim(endpoint: blank(.bastionHost, bastion.id, subnet), fixed: config.privateIPAddress))
            }
        }
        for gateway in graph.all(VirtualNetworkGateway.self) {
            for config in gateway.ipConfigurations {
                guard let subnet = config.subnet else { continue }
                var e = blank(.virtualNetworkGateway, gateway.id, subnet)
                e.ipForwarding = true
                claims.append(Claim(endpoint: e, fixed: config.privateIPAddress))
            }
        }
        var used: Set<IPv4Address> = Set(claims.compactMap(\.fixed))
        var result: [IPv4Address: Endpoint] = [:]
        for claim in claims where claim.fixed != nil {
            var e = claim.endpoint
            e.address = claim.fixed!
            if result[e.address] != nil { notes.append("address \(e.address) is claimed twice; keeping \(result[e.address]!.resource.name)") }
            else { result[e.address] = e }
        }
        let prefixes = Dictionary(graph.all(Subnet.self).map { ($0.id, $0.addressPrefixes) }, uniquingKeysWith: { a, _ in a })
        for claim in claims where claim.fixed == nil {
            guard let prefix = prefixes[claim.endpoint.subnet]?.first else { continue }
            var candidate = prefix.firstAzureUsable
            while used.contains(candidate), candidate < prefix.last.advanced(by: -1) { candidate = candidate.advanced(by: 1) }
            guard candidate < prefix.last, !used.contains(candidate) else {
                notes.append("subnet \(claim.endpoint.subnet.name) is full; \(claim.endpoint.resource.name) gets no address")
                continue
            }
            used.insert(candidate)
            var e = claim.endpoint
            e.address = candidate
            e.addressAssumed = true
            result[candidate] = e
        }
        return result
    }

    /// Every tag name used anywhere (for the symbolic atom universe).
    func mentionedTags() -> Set<String> {
        var tags: Set<String> = []
        for nsg in graph.all(NetworkSecurityGroup.self) {
            for rule in nsg.securityRules {
                if case .serviceTag(let t) = rule.source { tags.insert(t) }
                if case .serviceTag(let t) = rule.destination { tags.insert(t) }
            }
        }
        for table in graph.all(RouteTable.self) {
            for route in table.routes { if case .serviceTag(let t) = route.destination { tags.insert(t) } }
        }
        func addFirewall(_ collections: [FirewallRuleCollection]) {
            for c in collections {
                for rule in c.rules {
                    if case .network(let r) = rule {
                        for a in r.destinationAddresses + r.sourceAddresses where FirewallAddress.parse(a) == nil { tags.insert(a) }
                    }
                }
            }
        }
        for fw in graph.all(AzureFirewall.self) { addFirewall(fw.natRuleCollections + fw.networkRuleCollections) }
        for policy in graph.all(FirewallPolicy.self) { addFirewall(policy.ruleCollectionGroups.flatMap(\.ruleCollections)) }
        for ws in graph.all(MachineLearningWorkspace.self) {
            for rule in ws.managedNetwork.outboundRules { if let t = rule.serviceTag { tags.insert(t) } }
            for t in ManagedNetworkEngine.requiredTags(region: ws.location) { tags.insert(t.tag) }
        }
        let vnets = Dictionary(graph.all(VirtualNetwork.self).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for subnet in graph.all(Subnet.self) {
            for se in subnet.serviceEndpoints {
                if let t = NetworkModelBuilder.serviceEndpointTag(se.service, region: vnets[subnet.virtualNetwork]?.location) { tags.insert(t) }
            }
        }
        for (_, tag) in DNSModel.wellKnownNames { tags.insert(tag) }
        tags.formUnion(adminRuleTags())
        for account in graph.all(StorageAccount.self) { if let r = account.location { tags.insert("Storage.\(r)") } }
        for vault in graph.all(KeyVault.self) { if let r = vault.location { tags.insert("AzureKeyVault.\(r)") } }
        for registry in graph.all(ContainerRegistry.self) { if let r = registry.location { tags.insert("AzureContainerRegistry.\(r)") } }
        return tags
    }

    // MARK: NSGs

    func compileNSG(_ nsg: NetworkSecurityGroup, direction: SecurityRule.Direction, subnet: CompiledSubnet,
                    tags: TagResolver, asgMembers: [ResourceID: IntervalSet]) -> CompiledSecurityGroup {
        let custom = nsg.securityRules.filter { $0.direction == direction }.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
        let defaults = SecurityRule.defaultRules.filter { $0.direction == direction }
        var rules: [CompiledSecurityRule] = []
        for (index, rule) in (custom + defaults).enumerated() {
            let platformTags = ["azureplatformdns", "azureplatformimds", "azureplatformlkm"]
            var targetsPlatform = false
            if case .serviceTag(let t) = rule.destination, platformTags.contains(t.lowercased()) { targetsPlatform = true }
            let cube = PacketCube(
                source: addressSet(rule.source, subnet: subnet, tags: tags, asgMembers: asgMembers),
                destination: addressSet(rule.destination, subnet: subnet, tags: tags, asgMembers: asgMembers),
                protocols: ProtocolSet(nsg: rule.protocol, anyCoversIPsec: options.nsgAnyCoversIPsec),
                sourcePorts: IntervalSet(ports: rule.sourcePorts),
                destinationPorts: IntervalSet(ports: rule.destinationPorts))
            rules.append(CompiledSecurityRule(name: rule.name, priority: rule.priority, access: rule.access,
                                              match: PacketSet(cube), isDefault: index >= custom.count,
                                              targetsPlatform: targetsPlatform))
        }
        return CompiledSecurityGroup(id: nsg.id, direction: direction, rules: rules)
    }

    /// One NSG rule side as addresses (docs/semantics.md#nsg-rule-model, #application-security-groups, #azureloadbalancer-tag).
    func addressSet(_ match: AddressMatch, subnet: CompiledSubnet, tags: TagResolver,
                    asgMembers: [ResourceID: IntervalSet]) -> AddressSet {
        switch match {
        case .any: return .all
        case .prefixes(let prefixes): return .prefixes(prefixes)
        case .applicationSecurityGroups(let groups):
            // docs/semantics.md#application-security-groups [ASSUME]: an ASG is the set of its member NICs' private IPs.
            return AddressSet(ips: groups.reduce(IntervalSet.empty) { $0.union(asgMembers[$1] ?? .empty) })
        case .unresolved: return .empty
        case .serviceTag(let tag):
            switch tag.lowercased() {
            case "virtualnetwork":
                if options.virtualNetworkTag == .narrow { return subnet.virtualNetworkTag }
                return subnet.virtualNetworkTag
            case "internet": return subnet.internetTag
            case "azureloadbalancer", "azureplatformdns", "azureplatformlkm": return .address(.azureHost)  // docs/semantics.md#azureloadbalancer-tag, #platform-traffic
            case "azureplatformimds": return .address(.instanceMetadata)
            default: return tags.resolve(tag)
            }
        }
    }
}
