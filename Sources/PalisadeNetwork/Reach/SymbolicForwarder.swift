import PalisadeModel

/// Pushes packet sets through the compiled network: the set-valued twin of `Tracer` (same rules, same order).
/// Sets are always in terms of the *original* packets; SNAT is carried as a source override.
///
/// First-match filters (NSGs, firewall network rules) are evaluated once over all packets and cached, so
/// filtering a flow set is one intersection (a first-match filter decides each packet independently).
/// Not thread-safe: one instance per `reach` call.
final class SymbolicForwarder {
    let model: NetworkModel
    private var nsgCache: [NSGCacheKey: PacketSet] = [:]
    private var firewallCache: [ResourceID: PacketSet] = [:]
    private var returnCache: [ReturnKey: AddressSet] = [:]
    private var vnetOfAddress: [IPv4Address: ResourceID?] = [:]
    private var gatewayReachable: [ResourceID: Bool] = [:]
    /// What each VNet's gateway delivers (docs/semantics.md#on-premises-networks), per VNet on first use.
    private var gatewayDeliverableCache: [ResourceID: AddressSet?] = [:]
    /// Load balancer rules (docs/semantics.md#load-balancers), computed on first use.
    private(set) lazy var loadBalancerPaths: [LoadBalancerPath] = model.loadBalancerPaths()
    /// Destination ports of every firewall application rule, computed on first use.
    private(set) lazy var applicationPorts: IntervalSet = {
        var ports = IntervalSet.empty
        for fw in model.firewalls { for rule in fw.applicationRules { for p in rule.protocols { ports = ports.union(IntervalSet(UInt32(p.port), UInt32(p.port))) } } }
        return ports
    }()
    private var privateEndpointGroups: [ResourceID: CompiledSecurityGroup] = [:]
    private let subnetsByVNet: [ResourceID: [CompiledSubnet]]
    private let guardedNICs: [ResourceID: [Endpoint]]
    private let privateEndpoints: [Endpoint]
    private let publicIPSources: IntervalSet
    /// The envelopes of each firewall's network rules (same order as `model.firewalls` and their rules): rule
    /// loops test these before touching a rule, so skipping one copies nothing.
    private let networkRuleEnvelopes: [[PacketEnvelope]]
    /// Allowed sets of NSGs by destination partition, shared by the workers of one `reach` call.
    private let partitions: NSGPartitionCache

    init(model: NetworkModel, partitions: NSGPartitionCache = NSGPartitionCache()) {
        self.model = model
        self.partitions = partitions
        networkRuleEnvelopes = model.firewalls.map { $0.networkRules.map(\.envelope) }
        let ordered = model.subnetOrder.compactMap { model.subnets[$0] }
        subnetsByVNet = Dictionary(grouping: ordered, by: \.virtualNetwork)
        let sortedEndpoints = model.endpoints.values.sorted { $0.address < $1.address }
        guardedNICs = Dictionary(grouping: sortedEndpoints.filter { $0.networkSecurityGroup != nil }, by: \.subnet)
        privateEndpoints = sortedEndpoints.filter { $0.kind == .privateEndpoint }
        publicIPSources = IntervalSet(sortedEndpoints.filter { $0.publicAddress != nil }.map { IntervalSet.Interval($0.address.value, $0.address.value) })
    }

    /// A return path: the target subnet and the stateful device the flows went through, if any.
    struct ReturnKey: Hashable {
        var subnet: ResourceID
        var device: IPv4Address?
    }

    struct NSGCacheKey: Hashable {
        var group: NetworkModel.SecurityGroupKey
        var destinations: AddressSet
    }

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
    /// `within` is a stable superset of the flows' destinations (the subnet, NIC or everything), so what the NSG
    /// allows toward it is computed once and kept.
    func applyNSG(_ nsg: ResourceID?, in subnet: ResourceID, _ direction: SecurityRule.Direction, _ flows: PacketSet,
                  within: AddressSet, state: State) -> PacketSet {
        guard let nsg, let group = model.securityGroup(nsg, in: subnet, direction) else { return flows }
        if flows.isEmpty { return flows }
        // Inbound flows are usually a few cubes from one source, and rules for other sources are skipped by
        // their envelopes, so they (and flows seen through SNAT) are evaluated directly. Egress from a subnet
        // covers every destination and intersects with what the NSG allows toward `within`, computed by
        // destination partition and kept (NICs in the subnet reuse it).
        if state.snat != nil || (direction == .inbound && flows.cubes.count <= 32) {
            return group.allowed(flows, sourceOverride: state.snat)
        }
        let key = NSGCacheKey(group: NetworkModel.SecurityGroupKey(nsg: nsg, subnet: subnet, direction: direction), destinations: within)
        let allowed = nsgCache[key] ?? partitions.allowed(group, toward: within)
        nsgCache[key] = allowed
        return flows.intersection(allowed)
    }

    /// Egress from a subnet (subnet NSG only; NICs with their own NSG are excluded from `sources`).
    func fromSubnet(_ subnet: CompiledSubnet, sources: IntervalSet, endpoint: Endpoint? = nil, toward destinations: AddressSet = .all) -> PacketSet {
        var state = State()
        state.sourcesWithPublicIP = publicIPSources
        let start = PacketSet(PacketCube(source: AddressSet(ips: sources), destination: destinations))
        let platformSet = AddressSet(ips: IntervalSet(address: .azureHost).union(IntervalSet(address: .instanceMetadata)))
        var platform = start.intersection(PacketCube(destination: platformSet))
        var rest = start.subtracting(platform)
        // docs/semantics.md#nsg-subnet-and-nic outbound: NIC then subnet; docs/semantics.md#platform-traffic: platform traffic only meets AzurePlatform* rules.
        let nsgs = [endpoint?.networkSecurityGroup, subnet.networkSecurityGroup].compactMap { $0 }
        // docs/semantics.md#avnm-security-admin-rules: security admin rules before the NSGs.
        let (alwaysAllowed, toSecurityGroups) = model.adminRules(in: subnet.id, .outbound)?.split(rest) ?? (.empty, rest)
        rest = toSecurityGroups
        for nsg in nsgs {
            guard let group = model.securityGroup(nsg, in: subnet.id, .outbound) else { continue }
            platform = group.allowed(platform, platformOnly: true)
            rest = applyNSG(nsg, in: subnet.id, .outbound, rest, within: destinations, state: state)
        }
        rest = rest.appendingDisjoint(alwaysAllowed)
        return platform.appendingDisjoint(forward(rest, at: subnet, state: state, depth: 0))
    }

    /// Routes flows from a subnet (docs/semantics.md#udr-longest-prefix-match, #service-tags-in-routes) and follows each next hop.
    func forward(_ flows: PacketSet, at subnet: CompiledSubnet, state: State, depth: Int) -> PacketSet {
        if flows.isEmpty || depth >= model.options.maximumHops { return .empty }
        var result = PacketSet.empty
        for part in subnet.routes.parts(meeting: flows) {
            let (addresses, index) = subnet.routes.partition[part]
            let part = flows.intersection(PacketCube(destination: addresses))
            if part.isEmpty { continue }
            // Partition parts are disjoint, and each branch returns a subset of its part.
            switch subnet.routes.routes[index].nextHop {
            case .none: continue
            case .vnetLocal:
                result = result.appendingDisjoint(deliverPrivate(part, in: subnet.virtualNetwork, state: state))
            case .vnetPeering(let peer):
                let crossed = crossPeering(part, from: subnet.virtualNetwork, to: peer, state: state)
                result = result.appendingDisjoint(deliverPrivate(crossed, in: peer, state: state))
            case .interfaceEndpoint(let ip):
                guard let pe = model.endpoints[ip] else { continue }
                result = result.appendingDisjoint(deliverPE(part, pe, state: state))
            case .virtualAppliance(let ip):
                result = result.appendingDisjoint(appliance(part, at: ip, from: subnet, state: state, depth: depth))
            case .internet:
                result = result.appendingDisjoint(internet(part, from: subnet, state: state))
            case .virtualNetworkGateway:
                if gatewayReachable[subnet.virtualNetwork] == nil { gatewayReachable[subnet.virtualNetwork] = model.hasGateway(for: subnet.virtualNetwork) }
                if gatewayReachable[subnet.virtualNetwork] == true {
                    // docs/semantics.md#on-premises-networks: with modelled connections, only the sites' prefixes are delivered.
                    if gatewayDeliverableCache[subnet.virtualNetwork] == nil {
                        gatewayDeliverableCache[subnet.virtualNetwork] = .some(model.gatewayDeliverable(from: subnet.virtualNetwork))
                    }
                    if let deliverable = gatewayDeliverableCache[subnet.virtualNetwork] ?? nil {
                        result = result.appendingDisjoint(part.intersection(PacketCube(destination: deliverable)))
                    } else {
                        result = result.appendingDisjoint(part)
                    }
                }
            case .serviceEndpoint(let service):
                // Addresses don't say which account they belong to: under an account-only policy every address
                // is someone else's storage; the listed accounts are reached by name (trace).
                if model.serviceEndpointPolicy(on: subnet, service: service, account: nil)?.allowed == false { continue }
                result = result.appendingDisjoint(part)
            }
        }
        return result
    }

    /// docs/semantics.md#peering-forwarded-traffic: forwarded traffic needs `allowForwardedTraffic` on the receiving side.
    func crossPeering(_ flows: PacketSet, from: ResourceID, to: ResourceID, state: State) -> PacketSet {
        if state.fromGateway || (model.peering(from: to, to: from)?.allowForwardedTraffic ?? false) { return flows }
        let space = AddressSet.prefixes(model.virtualNetworks[from]?.addressSpace ?? [])
        return restrictSource(flows, to: space.intersectingIPs, state: state)
    }

    func deliverPrivate(_ flows: PacketSet, in vnet: ResourceID, state: State) -> PacketSet {
        var remaining = flows
        var result = PacketSet.empty
        if remaining.isEmpty { return .empty }
        let envelope = PacketEnvelope(remaining)
        // Only this VNet's private endpoints (see `Tracer.deliverPrivate`).
        for pe in privateEndpoints where envelope.mayReach(pe.address.value) && model.subnets[pe.subnet]?.virtualNetwork == vnet {
            let cube = PacketCube(destination: .address(pe.address))
            let part = remaining.intersection(cube)
            if part.isEmpty { continue }
            remaining = remaining.subtracting(PacketSet(cube))
            result = result.appendingDisjoint(deliverPE(part, pe, state: state))
        }
        if !loadBalancerPaths.isEmpty {
            let (balanced, handled) = throughLoadBalancers(remaining, paths: loadBalancerPaths, in: vnet, state: state)
            if !handled.isEmpty {
                remaining = remaining.subtracting(handled)
                result = result.union(balanced)
            }
        }
        for subnet in subnetsByVNet[vnet] ?? [] {
            let subnetIPs = IntervalSet(prefixes: subnet.prefixes)
            let subnetAddresses = AddressSet(ips: subnetIPs)
            guard envelope.mayReach(subnetAddresses) else { continue }
            let cube = PacketCube(destination: subnetAddresses)
            var part = remaining.intersection(cube)
            if part.isEmpty { continue }
            remaining = remaining.subtracting(PacketSet(cube))
            // docs/semantics.md#avnm-security-admin-rules: security admin rules before the NSGs.
            let (alwaysAllowed, toSecurityGroups) = model.adminRules(in: subnet.id, .inbound)?.split(part, sourceOverride: state.snat) ?? (.empty, part)
            part = toSecurityGroups
            // docs/semantics.md#nsg-subnet-and-nic inbound: subnet NSG, then NIC NSG per NIC.
            part = applyNSG(subnet.networkSecurityGroup, in: subnet.id, .inbound, part, within: subnetAddresses, state: state)
            for nic in guardedNICs[subnet.id] ?? [] where envelope.mayReach(nic.address.value) {
                let nicCube = PacketCube(destination: .address(nic.address))
                let hit = part.intersection(nicCube)
                if hit.isEmpty { continue }
                part = part.subtracting(PacketSet(nicCube)).appendingDisjoint(applyNSG(nic.networkSecurityGroup, in: subnet.id, .inbound, hit, within: .address(nic.address), state: state))
            }
            part = part.appendingDisjoint(alwaysAllowed)
            result = result.appendingDisjoint(returnPath(part, target: subnet, state: state))
        }
        return result
    }

    /// docs/semantics.md#return-path: keep flows whose reply takes the same stateful device.
    func returnPath(_ flows: PacketSet, target: CompiledSubnet, state: State) -> PacketSet {
        if flows.isEmpty { return flows }
        let key = ReturnKey(subnet: target.id, device: state.device)
        let ok: AddressSet
        if let cached = returnCache[key] {
            ok = cached
        } else {
            var set: AddressSet
            if let device = state.device {
                set = target.routes.addresses { $0 == .virtualAppliance(device) }
            } else {
                // A virtual hub's router is stateless (docs/semantics.md#virtual-wan-hub-routing).
                set = target.routes.addresses { if case .virtualAppliance(let ip) = $0 { model.isHubRouter(ip) } else { true } }
                    .union(AddressSet.prefixes(model.vpnClientPools).intersectingIPs)
            }
            // A reply addressed to the appliance itself reaches it (e.g. a SNATed firewall address).
            for (addresses, index) in target.routes.partition {
                if case .virtualAppliance(let ip) = target.routes.routes[index].nextHop, addresses.contains(.ip(ip)) {
                    set = set.union(.address(ip))
                }
            }
            ok = set
        }
        returnCache[key] = ok
        return restrictSource(flows, to: ok, state: state)
    }

    /// docs/semantics.md#private-endpoint-network-policies, #private-endpoint-snat.
    func deliverPE(_ flows: PacketSet, _ pe: Endpoint, state: State) -> PacketSet {
        guard let subnet = model.subnets[pe.subnet], state.device == nil else { return .empty }
        guard subnet.privateEndpointNetworkPolicies.appliesNetworkSecurityGroups, let nsg = subnet.networkSecurityGroup,
              let group = model.securityGroup(nsg, in: subnet.id, .inbound) else { return flows }
        // docs/semantics.md#private-endpoint-network-policies: at a private endpoint, source-port filters read as `*`.
        let widened = privateEndpointGroups[subnet.id] ?? group.ignoringSourcePorts
        privateEndpointGroups[subnet.id] = widened
        return widened.allowed(flows, sourceOverride: state.snat)
    }

    /// docs/semantics.md#ip-forwarding, #next-hop-reachability, #firewall-rule-order.
    func appliance(_ flows: PacketSet, at ip: IPv4Address, from subnet: CompiledSubnet, state: State, depth: Int) -> PacketSet {
        var flows = flows
        let applianceVNet = vnetOfAddress[ip] ?? model.virtualNetwork(containing: ip)?.id
        vnetOfAddress[ip] = applianceVNet
        if let applianceVNet, applianceVNet != subnet.virtualNetwork {
            guard model.peering(from: subnet.virtualNetwork, to: applianceVNet) != nil else { return .empty }
            flows = crossPeering(flows, from: subnet.virtualNetwork, to: applianceVNet, state: state)
        }
        if let fwIndex = model.firewalls.firstIndex(where: { $0.privateAddress == ip }) {
            let fw = model.firewalls[fwIndex]
            guard let fwSubnet = model.subnets[fw.subnet] else { return .empty }
            // docs/semantics.md#firewall-rule-order: network rules, first match; application rules need a host name (reported as FQDN grants).
            // When few rules can apply (envelopes), first match runs on the flows directly. Otherwise untranslated
            // flows meet the firewall's allowed set over every packet, computed once by destination partition:
            // sequential first match fragments the flows once hundreds of rules apply to one source.
            let allowed: PacketSet
            let bounds = PacketEnvelope(flows)
            let envelopes = networkRuleEnvelopes[fwIndex]
            var applicable = 0
            for envelope in envelopes where envelope.mayMeet(bounds) {
                applicable += 1
                if applicable > 64 { break }
            }
            if state.snat == nil && applicable > 64 {
                let all = firewallCache[fw.id] ?? FirstMatchPartition.allowed(fw.networkRules.flatMap { rule in
                    rule.match.cubes.map { FirstMatchPartition.Entry(cube: $0, allow: rule.action == .allow) }
                })
                firewallCache[fw.id] = all
                allowed = flows.intersection(all)
            } else {
                allowed = SymbolicForwarder.firstMatchAllowed(fw.networkRules, envelopes: envelopes, flows, snat: state.snat)
            }
            // docs/semantics.md#firewall-snat: SNAT unless the destination is in the private-range list.
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
                .appendingDisjoint(forward(snatted, at: fwSubnet, state: translated, depth: depth + 1))
        }
        guard let nva = model.endpoints[ip], nva.ipForwarding, let nvaSubnet = model.subnets[nva.subnet] else { return .empty }
        // docs/semantics.md#evaluation-order step 4: the appliance's own NSGs, entering (subnet, then NIC) and leaving (NIC, then subnet), docs/semantics.md#nsg-subnet-and-nic.
        let chain: [(ResourceID?, SecurityRule.Direction)] = [
            (nvaSubnet.networkSecurityGroup, .inbound), (nva.networkSecurityGroup, .inbound),
            (nva.networkSecurityGroup, .outbound), (nvaSubnet.networkSecurityGroup, .outbound),
        ]
        for (nsg, direction) in chain { flows = applyNSG(nsg, in: nvaSubnet.id, direction, flows, within: .all, state: state) }
        var next = state
        if !model.isHubRouter(ip) { next.device = ip }
        return forward(flows, at: nvaSubnet, state: next, depth: depth + 1)
    }

    /// First-match evaluation of firewall network rules over a flow set (docs/semantics.md#firewall-rule-order).
    /// `envelopes[i]` is `rules[i].envelope`.
    static func firstMatchAllowed(_ rules: [CompiledFirewallRule], envelopes: [PacketEnvelope], _ flows: PacketSet,
                                  snat: IPv4Address?) -> PacketSet {
        var remaining = flows
        var allowed = PacketSet.empty
        let bounds = PacketEnvelope(flows)
        for index in envelopes.indices {
            if remaining.isEmpty { break }
            let envelope = envelopes[index]
            if !envelope.mayMeet(bounds, ignoringSource: snat != nil) { continue }
            if let snat, !envelope.sourceHullContains(snat.value) { continue }
            let match = rules[index].match.viewed(withSource: snat)
            let hit = remaining.intersection(match)
            if hit.isEmpty { continue }
            if rules[index].action == .allow { allowed = allowed.appendingDisjoint(hit) }
            remaining = remaining.subtracting(match)
        }
        return allowed
    }

    /// What a firewall's application rules see from a source (docs/semantics.md#firewall-rule-order): TCP packets to host names (any public name)
    /// on `ports` that pass the source's outbound NSGs, are routed to the firewall (across a peering, docs/semantics.md#peering-forwarded-traffic) and that
    /// no network rule decides. Grants for names hold only for these packets.
    func applicationStageArrivals(_ subnet: CompiledSubnet, sources: IntervalSet, endpoint: Endpoint?, ports: IntervalSet)
        -> [(firewall: CompiledFirewall, undecided: PacketSet)] {
        var flows = PacketSet(PacketCube(source: AddressSet(ips: sources), destination: AddressSet(atoms: .all),
                                         protocols: ProtocolSet([.tcp]), destinationPorts: ports))
        let (alwaysAllowed, toSecurityGroups) = model.adminRules(in: subnet.id, .outbound)?.split(flows) ?? (.empty, flows)
        flows = toSecurityGroups
        for nsg in [endpoint?.networkSecurityGroup, subnet.networkSecurityGroup].compactMap({ $0 }) {
            flows = applyNSG(nsg, in: subnet.id, .outbound, flows, within: .all, state: State())
        }
        flows = flows.appendingDisjoint(alwaysAllowed)
        var arrivals: [(firewall: CompiledFirewall, undecided: PacketSet)] = []
        for part in subnet.routes.parts(meeting: flows) {
            let (addresses, index) = subnet.routes.partition[part]
            guard case .virtualAppliance(let ip) = subnet.routes.routes[index].nextHop,
                  let fwIndex = model.firewalls.firstIndex(where: { $0.privateAddress == ip }) else { continue }
            let fw = model.firewalls[fwIndex]
            guard let fwSubnet = model.subnets[fw.subnet] else { continue }
            var arriving = flows.intersection(PacketCube(destination: addresses))
            if fwSubnet.virtualNetwork != subnet.virtualNetwork {
                guard model.peering(from: subnet.virtualNetwork, to: fwSubnet.virtualNetwork) != nil else { continue }
                arriving = crossPeering(arriving, from: subnet.virtualNetwork, to: fwSubnet.virtualNetwork, state: State())
            }
            // Undecided = matched by no network rule, whatever the order (docs/semantics.md#firewall-rule-order).
            let bounds = PacketEnvelope(arriving)
            let envelopes = networkRuleEnvelopes[fwIndex]
            for ruleIndex in envelopes.indices where envelopes[ruleIndex].mayMeet(bounds) {
                if arriving.isEmpty { break }
                arriving = arriving.subtracting(fw.networkRules[ruleIndex].match)
            }
            if !arriving.isEmpty { arrivals.append((fw, arriving)) }
        }
        return arrivals
    }

    /// docs/semantics.md#default-outbound-access: Internet egress needs a public identity.
    func internet(_ flows: PacketSet, from subnet: CompiledSubnet, state: State) -> PacketSet {
        // A NAT gateway takes precedence and carries TCP and UDP only (docs/semantics.md#nat-gateway-protocols).
        if subnet.natGateway != nil { return flows.intersection(PacketCube(protocols: NetworkModel.natGatewayProtocols)) }
        if state.firewall != nil || subnet.defaultOutboundAccess { return flows }
        return flows.intersection(PacketCube(source: AddressSet(ips: state.sourcesWithPublicIP)))
    }
}
