import PalisadeModel

/// DNS Private Resolver: inbound endpoints answer as Azure DNS in the resolver's VNet; forwarding rulesets linked to a
/// VNet send matching queries to their target servers (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets,
/// docs/semantics.md#dns-private-resolver, #dns-forwarding-rulesets).
extension DNSModel {
    /// The enabled rule of a ruleset linked to `vnet` whose domain is the longest suffix of `name` (`.` matches all).
    static func forwardingRule(for name: String, vnet: ResourceID, graph: ResourceGraph) -> (ruleset: DnsForwardingRuleset, rule: DnsForwardingRule)? {
        var best: (ruleset: DnsForwardingRuleset, rule: DnsForwardingRule, length: Int)?
        for ruleset in graph.all(DnsForwardingRuleset.self).sorted(by: { $0.id < $1.id })
        where ruleset.virtualNetworkLinks.contains(where: { $0.virtualNetwork == vnet }) {
            for rule in ruleset.rules where rule.enabled && !rule.targetDnsServers.isEmpty {
                var domain = rule.domainName.lowercased()
                while domain.hasSuffix(".") { domain.removeLast() }
                let matches = domain.isEmpty || name == domain || name.hasSuffix("." + domain)
                if matches && domain.count > (best?.length ?? -1) { best = (ruleset, rule, domain.count) }
            }
        }
        return best.map { ($0.ruleset, $0.rule) }
    }

    /// The resolver whose inbound endpoint has `address`.
    static func inboundEndpoint(at address: IPv4Address, graph: ResourceGraph) -> (resolver: DnsResolver, endpoint: DnsResolverInboundEndpoint)? {
        for resolver in graph.all(DnsResolver.self).sorted(by: { $0.id < $1.id }) {
            if let endpoint = resolver.inboundEndpoints.first(where: { $0.privateIPAddress == address }) { return (resolver, endpoint) }
        }
        return nil
    }

    /// Resolves `name` from a VM in `vnet` when a private resolver decides it: the VNet's DNS server is a resolver's
    /// inbound endpoint, or the VNet uses Azure DNS and a ruleset linked to it has a matching rule (rules are consulted
    /// before the VNet's linked private zones). Returns false when the resolver plays no part.
    func resolveThroughPrivateResolver(_ name: String, vnet: ResourceID, region: String?, answer: inout DNSAnswer, model: NetworkModel) -> Bool {
        let servers = model.virtualNetworks[vnet]?.dnsServers ?? []
        if let server = servers.first, server != .azureHost {
            guard let inbound = Self.inboundEndpoint(at: server, graph: model.graph) else { return false }
            answer.detail = "custom DNS \(server) = inbound endpoint \(inbound.endpoint.name) of resolver \(inbound.resolver.name) (docs/semantics.md#dns-private-resolver): "
            resolveAtInbound(name, resolver: inbound.resolver, region: region, answer: &answer, model: model, depth: 0)
            return true
        }
        guard let match = Self.forwardingRule(for: name, vnet: vnet, graph: model.graph) else { return false }
        answer.detail = "Azure DNS from \(vnet.name): "
        forward(name, match: match, region: region, answer: &answer, model: model, depth: 0)
        return true
    }

    /// An inbound endpoint answers as Azure DNS in the resolver's VNet, rulesets linked to that VNet included.
    private func resolveAtInbound(_ name: String, resolver: DnsResolver, region: String?, answer: inout DNSAnswer, model: NetworkModel, depth: Int) {
        guard let vnet = resolver.virtualNetwork else {
            answer.nxdomain = true
            answer.detail += "resolver \(resolver.name) names no virtual network"
            return
        }
        if let match = Self.forwardingRule(for: name, vnet: vnet, graph: model.graph) {
            forward(name, match: match, region: region, answer: &answer, model: model, depth: depth + 1)
            return
        }
        answer.detail += "Azure DNS from \(vnet.name): "
        resolveAzure(name, vnet: vnet, region: region, answer: &answer, model: model)
    }

    /// Sends the query to the rule's first target (the others are used only when it does not answer).
    private func forward(_ name: String, match: (ruleset: DnsForwardingRuleset, rule: DnsForwardingRule), region: String?,
                         answer: inout DNSAnswer, model: NetworkModel, depth: Int) {
        let target = match.rule.targetDnsServers[0].ipAddress
        answer.detail += "rule \(match.rule.name) (\(match.rule.domainName)) of forwarding ruleset \(match.ruleset.name) sends it to \(target) (docs/semantics.md#dns-forwarding-rulesets); "
        if depth > 4 {
            answer.nxdomain = true
            answer.detail += "the rules forward in a loop: no answer"
            return
        }
        if let inbound = Self.inboundEndpoint(at: target, graph: model.graph) {
            answer.detail += "inbound endpoint of resolver \(inbound.resolver.name): "
            resolveAtInbound(name, resolver: inbound.resolver, region: region, answer: &answer, model: model, depth: depth + 1)
        } else if let fw = model.firewalls.first(where: { $0.privateAddress == target }), fw.dnsProxyEnabled {
            answer.detail += "firewall \(fw.name) DNS proxy: "
            resolveAzure(name, vnet: fw.virtualNetwork, region: region, answer: &answer, model: model)
        } else if let endpoint = model.endpoints[target], let forwarderVNet = model.subnets[endpoint.subnet]?.virtualNetwork {
            answer.detail += "a DNS server in \(forwarderVNet.name), assumed to forward to 168.63.129.16 (docs/semantics.md#custom-dns-forwarders): "
            answer.assumptions.append("DNS server \(target) forwards to Azure DNS")
            resolveAzure(name, vnet: forwarderVNet, region: region, answer: &answer, model: model)
        } else {
            // Conditional forwarding to a server outside the model (on-premises, as declared): its answer is unknown.
            answer.detail += "\(target) is outside the model (for example on-premises); its answer is not modelled: give the address to trace it"
            answer.assumptions.append("\(name) is answered by DNS server \(target), outside the model")
        }
    }
}
