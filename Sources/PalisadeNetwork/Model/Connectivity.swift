import PalisadeModel

extension NetworkModelBuilder {
    /// The connections Virtual Network Manager connectivity configurations create, as peering pairs
    /// (docs/semantics.md#avnm-connectivity, https://learn.microsoft.com/azure/virtual-network-manager/concept-connectivity-configuration):
    /// hub-and-spoke peers every spoke of the targeted groups with each hub (with gateway transit when "use hub as
    /// gateway" is set); mesh, and hub-and-spoke groups with direct connectivity, put the group's VNets in a
    /// connected group, which connects them pairwise (same region unless global). Configurations are taken as
    /// deployed; an existing peering between the same two VNets is kept as declared.
    mutating func connectivityPeerings(_ vnets: [ResourceID: VirtualNetwork]) -> [NetworkModel.PeeringKey: VirtualNetworkPeering] {
        var result: [NetworkModel.PeeringKey: VirtualNetworkPeering] = [:]
        func connect(_ a: ResourceID, _ b: ResourceID, name: String, transitFromB: Bool = false) {
            guard a != b, vnets[a] != nil, vnets[b] != nil else { return }
            var forward = VirtualNetworkPeering(name: name, remoteVirtualNetwork: b)
            var back = VirtualNetworkPeering(name: name, remoteVirtualNetwork: a)
            // Palisade's reading (docs/semantics.md#avnm-connectivity): managed connections accept forwarded traffic.
            forward.allowForwardedTraffic = true
            back.allowForwardedTraffic = true
            forward.useRemoteGateways = transitFromB
            back.allowGatewayTransit = transitFromB
            if result[.init(from: a, to: b)] == nil { result[.init(from: a, to: b)] = forward }
            if result[.init(from: b, to: a)] == nil { result[.init(from: b, to: a)] = back }
        }
        let gatewayVNets = Set(graph.all(VirtualNetworkGateway.self).compactMap { $0.ipConfigurations.compactMap(\.subnet).first?.parent })
        for manager in graph.all(NetworkManager.self) where manager.allows("Connectivity") {
            for config in manager.connectivityConfigurations.sorted(by: { $0.id < $1.id }) {
                for item in config.groups {
                    guard let group = manager.networkGroup(item.networkGroup) else {
                        notes.append("connectivity configuration \(config.name): network group \(item.networkGroup.name) not in the model")
                        continue
                    }
                    let members = group.staticMembers.filter { vnets[$0] != nil }.sorted()
                    if config.topology == .hubAndSpoke {
                        for hub in config.hubs {
                            guard vnets[hub] != nil else {
                                notes.append("connectivity configuration \(config.name): hub \(hub.name) not in the model")
                                continue
                            }
                            for spoke in members {
                                connect(spoke, hub, name: "AVNM \(config.name)", transitFromB: item.useHubGateway && gatewayVNets.contains(hub))
                            }
                        }
                    }
                    if config.topology == .mesh || item.directlyConnected {
                        let global = config.isGlobal || item.isGlobal
                        for (i, a) in members.enumerated() {
                            for b in members[(i + 1)...] {
                                let sameRegion = vnets[a]?.location?.lowercased() == vnets[b]?.location?.lowercased()
                                if global || sameRegion { connect(a, b, name: "ConnectedGroup \(config.name)") }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
