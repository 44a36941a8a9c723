import PalisadeModel

/// A route a VNet connected to a virtual hub learns from the hub (docs/semantics.md#virtual-wan-hub-routing).
struct HubLearnedRoute: Sendable, Hashable {
    /// Route name, as the trace shows it.
    var name: String
    /// Destination prefix.
    var prefix: IPv4Prefix
    /// Where the hub sends it: the router of the connection's associated route table, or the hub's firewall.
    var nextHop: IPv4Address
}

/// Virtual WAN hubs expressed in the engine's terms, the way Azure builds them: a hub is a Microsoft-managed
/// virtual network (its `addressPrefix`) peered with every connected VNet. Each hub route table becomes a router
/// in that network that forwards only to the connections propagating to the table (a stateless hop), a secured
/// hub's Azure Firewall sits at its hub address, and each connected VNet learns the routes of its associated table
/// (or of routing intent) with the router or the firewall as next hop
/// (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing,
/// https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).
enum VirtualWANExpansion {
    /// The graph with hubs expanded, the routes each connected VNet learns, and the routers' addresses.
    struct Result {
        var graph: ResourceGraph
        var learnedRoutes: [ResourceID: [HubLearnedRoute]] = [:]
        var routers: Set<IPv4Address> = []
        var notes: [String] = []
    }

    /// RFC 1918 prefixes private routing intent sends to the firewall (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).
    static let privateTrafficPrefixes = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map { IPv4Prefix($0)! }

    /// The synthetic VNet ID standing for a hub's own network.
    static func hubNetwork(_ hub: ResourceID) -> ResourceID { hub.child("hubVirtualNetwork", hub.name) }

    static func expand(_ input: ResourceGraph) -> Result {
        var result = Result(graph: input)
        let hubs = input.all(VirtualHub.self)
        if hubs.isEmpty { return result }
        var graph = input
        for hub in hubs {
            guard let space = hub.addressPrefix else {
                result.notes.append("virtual hub \(hub.name) has no address prefix; its connections are not modelled")
                continue
            }
            let network = hubNetwork(hub.id)
            var hubVNet = VirtualNetwork(id: network, location: hub.location)
            hubVNet.addressSpace = [space]
            // The secured hub's firewall: its hub address in a subnet of the hub network.
            var firewallIP: IPv4Address?
            if let fwID = hub.azureFirewall, var fw = graph.resource(fwID, as: AzureFirewall.self) {
                if let address = fw.hubPrivateIPAddress, space.contains(address) {
                    let subnetID = network.child("subnets", "AzureFirewallSubnet")
                    var subnet = Subnet(id: subnetID)
                    subnet.addressPrefixes = [IPv4Prefix(address, length: 32)]
                    graph.insert(subnet)
                    fw.ipConfigurations = [IPConfiguration(name: "hub", subnet: subnetID, privateIPAddress: address)]
                    graph.insert(fw)
                    firewallIP = address
                } else {
                    result.notes.append("firewall \(fwID.name) in hub \(hub.name) has no hub private address inside \(space); traffic for it is not modelled")
                }
            }
            // Connections: the VNets present in the model, and the tables they propagate to.
            let connections = hub.virtualNetworkConnections.filter { graph.resource($0.remoteVirtualNetwork, as: VirtualNetwork.self) != nil }
                .sorted { $0.name.lowercased() < $1.name.lowercased() }
            for connection in hub.virtualNetworkConnections where !connections.contains(connection) {
                result.notes.append("hub connection \(connection.name): VNet \(connection.remoteVirtualNetwork.name) not in the model (ignored)")
            }
            let defaultTable = hub.routeTableID("defaultRouteTable")
            let noneTable = hub.routeTableID("noneRouteTable")
            var tables: [ResourceID: HubRouteTable] = [defaultTable: HubRouteTable(id: defaultTable, labels: ["default"])]
            for table in hub.routeTables {
                var merged = table
                if table.id == defaultTable && !merged.labels.contains(where: { $0.lowercased() == "default" }) { merged.labels.append("default") }
                tables[table.id] = merged
            }
            func propagates(_ c: HubVirtualNetworkConnection, to table: HubRouteTable) -> Bool {
                let ids = c.propagatedRouteTables ?? (c.propagatedLabels == nil ? [defaultTable] : [])
                let labels = c.propagatedLabels ?? []
                if ids.contains(noneTable) || labels.contains(where: { $0.lowercased() == "none" }) && ids.isEmpty { return false }
                return ids.contains(table.id) || table.labels.contains { label in labels.contains { $0.lowercased() == label.lowercased() } }
            }
            func associated(_ c: HubVirtualNetworkConnection) -> ResourceID { c.associatedRouteTable ?? defaultTable }
            // One router per table in use, at the top of the hub range (Palisade's reading: the addresses are ours).
            let used = Set(connections.map(associated)).sorted()
            var routerIP: [ResourceID: IPv4Address] = [:]
            for (k, tableID) in used.enumerated() {
                let address = space.last.advanced(by: -(1 + k))
                guard space.contains(address), address != firewallIP else { continue }
                routerIP[tableID] = address
                result.routers.insert(address)
                let subnetID = network.child("subnets", "router-\(tableID.name)")
                var subnet = Subnet(id: subnetID)
                subnet.addressPrefixes = [IPv4Prefix(address, length: 32)]
                // The router forwards to the connections propagating to its table, to the table's static routes,
                // and nowhere else (no Internet, no unpropagated VNet).
                let table = tables[tableID] ?? HubRouteTable(id: tableID)
                var routes = [Route(name: "no-internet", destination: .prefix(IPv4Prefix("0.0.0.0/0")!), nextHopType: .none)]
                for c in connections where !propagates(c, to: table) {
                    for prefix in graph.resource(c.remoteVirtualNetwork, as: VirtualNetwork.self)?.addressSpace ?? [] {
                        routes.append(Route(name: "not-propagated-\(c.name)", destination: .prefix(prefix), nextHopType: .none))
                    }
                }
                for c in connections where propagates(c, to: table) {
                    for s in c.staticRoutes {
                        for prefix in s.addressPrefixes {
                            routes.append(Route(name: "\(c.name)-\(s.name)", destination: .prefix(prefix),
                                                nextHopType: s.nextHopIPAddress == nil ? .none : .virtualAppliance, nextHopIPAddress: s.nextHopIPAddress))
                        }
                    }
                }
                for route in table.routes where route.nextHop == hub.azureFirewall {
                    for prefix in route.destinations {
                        routes.append(Route(name: route.name, destination: .prefix(prefix), nextHopType: firewallIP == nil ? .none : .virtualAppliance,
                                            nextHopIPAddress: firewallIP))
                    }
                }
                var routeTable = RouteTable(id: network.child("routeTables", "router-\(tableID.name)"))
                routeTable.routes = routes
                graph.insert(routeTable)
                subnet.routeTable = routeTable.id
                graph.insert(subnet)
                var nic = NetworkInterface(id: tableID, location: hub.location)
                nic.ipConfigurations = [IPConfiguration(name: "router", subnet: subnetID, privateIPAddress: address)]
                nic.enableIPForwarding = true
                graph.insert(nic)
            }
            // Peerings between the hub network and each connected VNet (both accept forwarded traffic: the hub routes).
            for c in connections {
                var toSpoke = VirtualNetworkPeering(name: c.name, remoteVirtualNetwork: c.remoteVirtualNetwork)
                toSpoke.allowForwardedTraffic = true
                hubVNet.peerings.append(toSpoke)
                graph.update(c.remoteVirtualNetwork, as: VirtualNetwork.self) { vnet in
                    var toHub = VirtualNetworkPeering(name: "HV_\(hub.name)", remoteVirtualNetwork: network)
                    toHub.allowForwardedTraffic = true
                    vnet.peerings.append(toHub)
                }
            }
            graph.insert(hubVNet)
            // What each connection learns.
            let intent = hub.routingIntent
            let privateViaFirewall = intent?.nextHop(for: .privateTraffic) != nil && firewallIP != nil
            let internetViaFirewall = intent?.nextHop(for: .internet) != nil && firewallIP != nil
            for c in connections {
                var learned: [HubLearnedRoute] = []
                let tableID = associated(c)
                if tableID != noneTable, let router = routerIP[tableID], let table = tables[tableID], !privateViaFirewall {
                    for other in connections where other != c && propagates(other, to: table) {
                        for prefix in graph.resource(other.remoteVirtualNetwork, as: VirtualNetwork.self)?.addressSpace ?? [] {
                            learned.append(HubLearnedRoute(name: "Hub \(hub.name) \(other.name)", prefix: prefix, nextHop: router))
                        }
                        for s in other.staticRoutes {
                            for prefix in s.addressPrefixes { learned.append(HubLearnedRoute(name: "Hub \(hub.name) \(other.name)/\(s.name)", prefix: prefix, nextHop: router)) }
                        }
                    }
                    for route in table.routes {
                        let viaFirewall = route.nextHop == hub.azureFirewall
                        for prefix in route.destinations where prefix.length > 0 || c.enableInternetSecurity {
                            guard let hop = viaFirewall ? firewallIP : router else { continue }
                            learned.append(HubLearnedRoute(name: "Hub \(hub.name) \(route.name)", prefix: prefix, nextHop: hop))
                        }
                    }
                }
                if privateViaFirewall, let fw = firewallIP {
                    for prefix in privateTrafficPrefixes + (intent?.additionalPrivatePrefixes ?? []) {
                        learned.append(HubLearnedRoute(name: "Routing intent private traffic", prefix: prefix, nextHop: fw))
                    }
                }
                if internetViaFirewall, c.enableInternetSecurity, let fw = firewallIP {
                    learned.append(HubLearnedRoute(name: "Routing intent Internet traffic", prefix: IPv4Prefix("0.0.0.0/0")!, nextHop: fw))
                }
                result.learnedRoutes[c.remoteVirtualNetwork, default: []] += learned
            }
        }
        result.graph = graph
        return result
    }
}

extension NetworkModel {
    /// Whether an address is a virtual hub's router (a stateless hop, docs/semantics.md#virtual-wan-hub-routing).
    public func isHubRouter(_ address: IPv4Address) -> Bool { hubRouters.contains(address) }
}
