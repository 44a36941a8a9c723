import PalisadeModel

/// Pushes packet sets through the compiled network: the set-valued twin of `Tracer` (same rules, same order).
/// Sets are always in terms of the *original* packets; SNAT is carried as a source override.
struct SymbolicForwarder {
    let model: NetworkModel

    struct State {
        var snat: IPv4Address?
        var device: IPv4Address?
        var firewall: CompiledFirewall?
        var fromGateway = false
        /// Original sources that have their own public IP (for Internet egress identity).
        var sourcesWithPublicIP: IntervalSet = .empty
    }

    /// Keeps the packets whose current source (after SNAT) lies in `sources`.
    func restrictSource(_ flows: PacketSet, to sources: AddressSet, state: State) -> PacketSet {
        if let snat = state.snat { return sources.contains(.ip(snat)) ? flows : .empty }
        return flows.intersection(PacketCube(source: sources))
    }

    /// Applies an NSG to flows, honouring SNAT.
    func applyNSG(_ nsg: ResourceID?, in subnet: ResourceID, _ direction: SecurityRule.Direction, _ flows: PacketSet, state: State) -> PacketSet {
        guard let nsg, let group = model.securityGroup(nsg, in: subnet, direction) else { return flows }
        return group.allowed(flows, sourceOverride: state.snat)
    }

    /// Egress from a subnet (subnet NSG only; NICs with their own NSG are excluded from `sources`).
    func fromSubnet(_ subnet: CompiledSubnet, sources: IntervalSet, endpoint: Endpoint? = nil) -> PacketSet {
        var state = State()
        state.sourcesWithPublicIP = IntervalSet(model.endpoints.values.filter { $0.publicAddress != nil }.map {
            IntervalSet.Interval($0.address.value, $0.address.value)
        })
        let start = PacketSet(PacketCube(source: AddressSet(ips: sources)))
        let platformSet = AddressSet(ips: IntervalSet(address: .azureHost).union(IntervalSet(address: .instanceMetadata)))
        var platform = start.intersection(PacketCube(destination: platformSet))
        var rest = start.subtracting(platform)
        // N11 outbound: NIC then subnet; N23: platform traffic only meets AzurePlatform* rules.
        let nsgs = [endpoint?.networkSecurityGroup, subnet.networkSecurityGroup].compactMap { $0 }
        for nsg in nsgs {
            guard let group = model.securityGroup(nsg, in: subnet.id, .outbound) else { continue }
            platform = group.allowed(platform, platformOnly: true)
            rest = group.allowed(rest)
        }
        return platform.union(forward(rest, at: subnet, state: state, depth: 0))
    }

    /// Routes flows from a subnet (R12–R15) and follows each next hop.
    func forward(_ flows: PacketSet, at subnet: CompiledSubnet, state: State, depth: Int) -> PacketSet {
        if flows.isEmpty || depth >= model.options.maximumHops { return .empty }
        var result = PacketSet.empty
        for (addresses, index) in subnet.routes.partition {
            let part = flows.intersection(PacketCube(destination: addresses))
            if part.isEmpty { continue }
            switch subnet.routes.routes[index].nextHop {
            case .none: continue
            case .vnetLocal:
                result = result.union(deliverPrivate(part, in: subnet.virtualNetwork, state: state))
            case .vnetPeering(let peer):
                let crossed = crossPeering(part, from: subnet.virtualNetwork, to: peer, state: state)
                result = result.union(deliverPrivate(crossed, in: peer, state: state))
            case .interfaceEndpoint(let ip):
                guard let pe = model.endpoints[ip] else { continue }
                result = result.union(deliverPE(part, pe, state: state))
            case .virtualAppliance(let ip):
                result = result.union(appliance(part, at: ip, from: subnet, state: state, depth: depth))
            case .internet:
                result = result.union(internet(part, from: subnet, state: state))
            case .virtualNetworkGateway, .serviceEndpoint:
                result = result.union(part)
            }
        }
        return result
    }

    /// P4: forwarded traffic needs `allowForwardedTraffic` on the receiving side.
    func crossPeering(_ flows: PacketSet, from: ResourceID, to: ResourceID, state: State) -> PacketSet {
        if state.fromGateway || (model.peering(from: to, to: from)?.allowForwardedTraffic ?? false) { return flows }
        let space = AddressSet.prefixes(model.virtualNetworks[from]?.addressSpace ?? [])
        return restrictSource(flows, to: space.intersectingIPs, state: state)
    }

    func deliverPrivate(_ flows: PacketSet, in vnet: ResourceID, state: State) -> PacketSet {
        var remaining = flows
        var result = PacketSet.empty
        for pe in model.endpoints.values.filter({ $0.kind == .privateEndpoint }).sorted(by: { $0.address < $1.address }) {
            let cube = PacketCube(destination: .address(pe.address))
            let part = remaining.intersection(cube)
            if part.isEmpty { continue }
            remaining = remaining.subtracting(PacketSet(cube))
            result = result.union(deliverPE(part, pe, state: state))
        }
        for subnet in model.subnetOrder.compactMap({ model.subnets[$0] }) where subnet.virtualNetwork == vnet {
            let cube = PacketCube(destination: subnet.addresses.intersectingIPs)
            var part = remaining.intersection(cube)
            if part.isEmpty { continue }
            remaining = remaining.subtracting(PacketSet(cube))
            // N11 inbound: subnet NSG, then NIC NSG per NIC.
            part = applyNSG(subnet.networkSecurityGroup, in: subnet.id, .inbound, part, state: state)
            for nic in model.endpoints.values.filter({ $0.subnet == subnet.id && $0.networkSecurityGroup != nil }).sorted(by: { $0.address < $1.address }) {
                let nicCube = PacketCube(destination: .address(nic.address))
                let hit = part.intersection(nicCube)
                if hit.isEmpty { continue }
                part = part.subtracting(PacketSet(nicCube)).union(applyNSG(nic.networkSecurityGroup, in: subnet.id, .inbound, hit, state: state))
            }
            result = result.union(returnPath(part, target: subnet, state: state))
        }
        return result
    }

    /// §9.6: keep flows whose reply takes the same stateful device.
    func returnPath(_ flows: PacketSet, target: CompiledSubnet, state: State) -> PacketSet {
        if flows.isEmpty { return flows }
        var ok: AddressSet
        if let device = state.device {
            ok = target.routes.addresses { $0 == .virtualAppliance(device) }
        } else {
            ok = target.routes.addresses { if case .virtualAppliance = $0 { false } else { true } }
            ok = ok.union(.prefixes(model.vpnClientPools).intersectingIPs)
        }
        return restrictSource(flows, to: ok, state: state)
    }

    /// R21, F25.
    func deliverPE(_ flows: PacketSet, _ pe: Endpoint, state: State) -> PacketSet {
        guard let subnet = model.subnets[pe.subnet], state.device == nil else { return .empty }
        if subnet.privateEndpointNetworkPolicies.appliesNetworkSecurityGroups {
            return applyNSG(subnet.networkSecurityGroup, in: subnet.id, .inbound, flows, state: state)
        }
        return flows
    }

    /// R9, R10, §4.
    func appliance(_ flows: PacketSet, at ip: IPv4Address, from subnet: CompiledSubnet, state: State, depth: Int) -> PacketSet {
        var flows = flows
        if let applianceVNet = model.virtualNetwork(containing: ip)?.id, applianceVNet != subnet.virtualNetwork {
            guard model.peering(from: subnet.virtualNetwork, to: applianceVNet) != nil else { return .empty }
            flows = crossPeering(flows, from: subnet.virtualNetwork, to: applianceVNet, state: state)
        }
        if let fw = model.firewalls.first(where: { $0.privateAddress == ip }) {
            guard let fwSubnet = model.subnets[fw.subnet] else { return .empty }
            // F8/F9: network rules, first match; application rules need a host name (reported as FQDN grants).
            var remaining = flows
            var allowed = PacketSet.empty
            for rule in fw.networkRules {
                if remaining.isEmpty { break }
                let match = rule.match.viewed(withSource: state.snat)
                let hit = remaining.intersection(match)
                if hit.isEmpty { continue }
                if rule.action == .allow { allowed = allowed.union(hit) }
                remaining = remaining.subtracting(match)
            }
            // F24: SNAT unless the destination is in the private-range list.
            let exemptCube = PacketCube(destination: AddressSet(ips: fw.snatExempt))
            let noSNAT = allowed.intersection(exemptCube)
            let snatted = allowed.subtracting(PacketSet(exemptCube))
            var plain = state
            plain.device = fw.privateAddress
            plain.firewall = fw
            plain.fromGateway = false
            var translated = state
            translated.snat = fw.privateAddress
            translated.device = nil
            translated.firewall = fw
            translated.fromGateway = false
            return forward(noSNAT, at: fwSubnet, state: plain, depth: depth + 1)
                .union(forward(snatted, at: fwSubnet, state: translated, depth: depth + 1))
        }
        guard let nva = model.endpoints[ip], nva.ipForwarding, let nvaSubnet = model.subnets[nva.subnet] else { return .empty }
        var next = state
        next.device = ip
        return forward(flows, at: nvaSubnet, state: next, depth: depth + 1)
    }

    /// M3: Internet egress needs a public identity.
    func internet(_ flows: PacketSet, from subnet: CompiledSubnet, state: State) -> PacketSet {
        if state.firewall != nil || subnet.natGateway != nil || subnet.defaultOutboundAccess { return flows }
        return flows.intersection(PacketCube(source: AddressSet(ips: state.sourcesWithPublicIP)))
    }
}
