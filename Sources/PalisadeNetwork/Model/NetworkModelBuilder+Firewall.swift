import PalisadeModel

/// A firewall address entry: `*`, IP, CIDR or `a.b.c.d-a.b.c.e` (docs/semantics.md#firewall-network-rules); anything else is a tag.
enum FirewallAddress {
    static func parse(_ text: String) -> IntervalSet? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "*" { return .allAddresses }
        if let p = IPv4Prefix.parse(t) { return IntervalSet(prefix: p.prefix) }
        let parts = t.split(separator: "-")
        if parts.count == 2, let a = IPv4Address(parts[0]), let b = IPv4Address(parts[1]), a <= b {
            return IntervalSet(a.value, b.value)
        }
        return nil
    }
}

extension NetworkModelBuilder {
    /// Compiles classic collections and Firewall Policy rule collection groups in docs/semantics.md#firewall-rule-order order.
    mutating func compileFirewalls(endpoints: [IPv4Address: Endpoint], tags: TagResolver, model: NetworkModel) -> [CompiledFirewall] {
        var result: [CompiledFirewall] = []
        for fw in graph.all(AzureFirewall.self) {
            guard let endpoint = endpoints.values.first(where: { $0.kind == .azureFirewall && $0.resource == fw.id }),
                  let vnet = endpoint.subnet.parent
            else {
                notes.append("firewall \(fw.name) has no data-path address in a modelled subnet (ignored)")
                continue
            }
            var publicAddresses: [IPv4Address] = []
            for config in fw.ipConfigurations {
                if let ip = graph.resource(config.publicIPAddress, as: PublicIPAddress.self)?.ipAddress { publicAddresses.append(ip) }
            }
            // docs/semantics.md#firewall-rule-order: policy chain base first; within a type by RCG priority then collection priority.
            var collections: [(order: [Int], group: String?, collection: FirewallRuleCollection)] = []
            var dnsProxy = fw.dnsProxyEnabled
            var privateRanges = fw.privateRanges
            var threat = fw.threatIntelMode
            if let policyID = fw.firewallPolicy {
                var chain: [FirewallPolicy] = []
                var next: ResourceID? = policyID
                while let id = next, let policy = graph.resource(id, as: FirewallPolicy.self), !chain.contains(where: { $0.id == id }) {
                    chain.insert(policy, at: 0)
                    next = policy.basePolicy
                }
                if chain.isEmpty { notes.append("firewall \(fw.name): policy \(policyID.name) not in the model") }
                for (depth, policy) in chain.enumerated() {
                    for group in policy.ruleCollectionGroups {
                        for c in group.ruleCollections { collections.append(([depth, group.priority, c.priority], group.name, c)) }
                    }
                }
                if let own = chain.last {
                    dnsProxy = own.dnsProxyEnabled
                    privateRanges = own.privateRanges
                    threat = own.threatIntelMode
                }
            } else {
                for c in fw.natRuleCollections + fw.networkRuleCollections + fw.applicationRuleCollections {
                    collections.append(([0, 0, c.priority], nil, c))
                }
            }
            collections.sort { $0.order.lexicographicallyPrecedes($1.order) }
            var snatExempt = IntervalSet(prefixes: IPv4Prefix.privateRanges)
            if let ranges = privateRanges {
                snatExempt = .empty
                for text in ranges {
                    if text.lowercased() == "ianaprivateranges" { snatExempt = snatExempt.union(IntervalSet(prefixes: IPv4Prefix.privateRanges)) }
                    else if text == "255.255.255.255/32" { continue }  // docs/semantics.md#firewall-snat: always SNAT
                    else if let set = FirewallAddress.parse(text) { snatExempt = snatExempt.union(set) }
                }
            }
            var nat: [CompiledFirewallRule] = []
            var network: [CompiledFirewallRule] = []
            var application: [CompiledApplicationRule] = []
            for (_, group, collection) in collections {
                for rule in collection.rules {
                    let path = [group, collection.name, rule.name].compactMap { $0 }.joined(separator: "/")
                    switch rule {
                    case .network(let r):
                        var notesHere: [String] = []
                        let sources = sourceSet(r.sourceAddresses, r.sourceIPGroups, notes: &notesHere)
                        var destinations = AddressSet.empty
                        for text in r.destinationAddresses {
                            if let set = FirewallAddress.parse(text) {
                                destinations = destinations.union(set == .allAddresses ? .all : AddressSet(ips: set))
                            } else {
                                destinations = destinations.union(tags.resolve(text))  // docs/semantics.md#firewall-network-rules
                            }
                        }
                        destinations = destinations.union(AddressSet(ips: ipGroups(r.destinationIPGroups, notes: &notesHere)))
                        if !r.destinationFqdns.isEmpty {
                            if dnsProxy {
                                // docs/semantics.md#firewall-network-rules [ASSUME]: resolve with the firewall's own resolver view.
                                for fqdn in r.destinationFqdns {
                                    let answer = model.dns.resolve(fqdn, view: .firewall(fw.id), model: model)
                                    for a in answer.addresses { destinations = destinations.union(a.singleton) }
                                }
                            } else {
                                notesHere.append("FQDNs \(r.destinationFqdns.joined(separator: ",")) ignored: DNS proxy is off (docs/semantics.md#firewall-network-rules)")
                            }
                        }
                        if r.destinationIPGroups.contains(where: { graph.resource($0, as: IPGroup.self)?.ipAddresses.isEmpty ?? true }) ||
                            r.sourceIPGroups.contains(where: { graph.resource($0, as: IPGroup.self)?.ipAddresses.isEmpty ?? true }) {
                            notesHere.append("empty IP group: rule skipped (docs/semantics.md#firewall-network-rules)")
                            network.append(CompiledFirewallRule(path: path, action: collection.action, match: .empty, notes: notesHere))
                            continue
                        }
                        let ports = portSet(r.destinationPorts)
                        let protocols = firewallProtocols(r.protocols, ports: ports)
                        let cube = PacketCube(source: sources, destination: destinations, protocols: protocols, destinationPorts: ports)
                        network.append(CompiledFirewallRule(path: path, action: collection.action, match: PacketSet(cube), notes: notesHere))
                    case .nat(let r):
                        var notesHere: [String] = []
                        let sources = sourceSet(r.sourceAddresses, r.sourceIPGroups, notes: &notesHere)
                        var destinations = IntervalSet.empty
                        for text in r.destinationAddresses { if let set = FirewallAddress.parse(text) { destinations = destinations.union(set) } }
                        let ports = portSet(r.destinationPorts)
                        let cube = PacketCube(source: sources, destination: AddressSet(ips: destinations),
                                              protocols: firewallProtocols(r.protocols, ports: ports), destinationPorts: ports)
                        nat.append(CompiledFirewallRule(path: path, action: .dnat, match: PacketSet(cube),
                                                        translatedAddress: r.translatedAddress.flatMap { IPv4Address($0) },
                                                        translatedPort: r.translatedPort.flatMap { Int($0) }, notes: notesHere))
                    case .application(let r):
                        var notesHere: [String] = []
                        let sources = sourceSet(r.sourceAddresses, r.sourceIPGroups, notes: &notesHere)
                        let compiled = CompiledApplicationRule(path: path, action: collection.action, sources: sources,
                                                               protocols: r.protocols, targets: r.targetFqdns.map(FQDNPattern.init),
                                                               fqdnTags: r.fqdnTags)
                        notes += fqdnTagNotes(compiled, firewall: fw.name)
                        application.append(compiled)
                    }
                }
            }
            result.append(CompiledFirewall(
                id: fw.id, privateAddress: endpoint.address, subnet: endpoint.subnet, virtualNetwork: vnet,
                publicAddresses: publicAddresses, dnsProxyEnabled: dnsProxy, snatExempt: snatExempt, natRules: nat,
                networkRules: network, applicationRules: application, threatIntelMode: threat))
        }
        return result
    }

    /// What the engine makes of a rule's FQDN tags (docs/semantics.md#firewall-fqdn-tags, `FirewallFQDNTags`): documented subsets, unpublished or
    /// unknown tags (matching no concrete host), and tags without an `https` entry.
    private func fqdnTagNotes(_ rule: CompiledApplicationRule, firewall: String) -> [String] {
        guard !rule.fqdnTags.isEmpty else { return [] }
        let at = "firewall \(firewall) rule \(rule.path)"
        if rule.tagProtocols.isEmpty {
            return ["\(at): FQDN tags need protocol https (docs/semantics.md#firewall-fqdn-tags); the rule has none, so its tags match nothing"]
        }
        return rule.fqdnTags.map { tag in
            guard let known = FirewallFQDNTags.lookup(tag) else {
                return "\(at): FQDN tag \(tag) is not a documented tag (https://learn.microsoft.com/azure/firewall/fqdn-tags); it matches no concrete host (docs/semantics.md#firewall-fqdn-tags)"
            }
            if known.published == nil {
                return "\(at): FQDN tag \(tag): Microsoft publishes no names for it, so it matches no concrete host (docs/semantics.md#firewall-fqdn-tags)"
            }
            return "\(at): FQDN tag \(tag) matches its documented names (\(known.source)); Microsoft may add others (docs/semantics.md#firewall-fqdn-tags)"
        }
    }

    private func sourceSet(_ addresses: [String], _ groups: [ResourceID], notes: inout [String]) -> AddressSet {
        var set = IntervalSet.empty
        var all = false
        for text in addresses {
            if text.trimmingCharacters(in: .whitespaces) == "*" { all = true }
            else if let s = FirewallAddress.parse(text) { set = set.union(s) }
            else { notes.append("source '\(text)' is not an address (service tags are destination-only in firewall rules, docs/semantics.md#firewall-network-rules); ignored") }
        }
        if all { return .all }
        return AddressSet(ips: set.union(ipGroups(groups, notes: &notes)))
    }

    private func ipGroups(_ ids: [ResourceID], notes: inout [String]) -> IntervalSet {
        var set = IntervalSet.empty
        for id in ids {
            guard let group = graph.resource(id, as: IPGroup.self) else {
                notes.append("IP group \(id.name) not in the model")
                continue
            }
            for text in group.ipAddresses { if let s = FirewallAddress.parse(text) { set = set.union(s) } }
        }
        return set
    }

    private func portSet(_ texts: [String]) -> IntervalSet {
        (PortMatch.parse(texts)).map { IntervalSet(ports: $0) } ?? .empty
    }

    /// docs/semantics.md#firewall-network-rules: `Any` is every IP protocol, but with explicit destination ports it means TCP+UDP.
    private func firewallProtocols(_ protocols: [NetworkProtocol], ports: IntervalSet) -> ProtocolSet {
        var set = ProtocolSet.empty
        for p in protocols {
            if p == .any { set = set.union(ports == .allPorts ? .all : .tcpUdp) }
            else { set = set.union(ProtocolSet(nsg: p)) }
        }
        return set
    }
}

extension Address {
    /// The address as a one-element set.
    var singleton: AddressSet {
        switch self {
        case .ip(let ip): .address(ip)
        case .atom(let atom): .atom(atom)
        }
    }
}
