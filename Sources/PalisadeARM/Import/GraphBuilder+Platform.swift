import PalisadeModel

/// Platform resources: load balancers, on-premises sites and gateway connections, DNS private resolvers and
/// forwarding rulesets (property names from the ARM template references of each type).
extension GraphBuilder {
    /// The last segment of a child reference such as `…/frontendIPConfigurations/fe`.
    func childName(_ v: ARMValue?, _ path: String) -> String? {
        rid(v, path).map(\.name)
    }

    /// `Microsoft.Network/loadBalancers` (https://learn.microsoft.com/azure/templates/microsoft.network/loadbalancers).
    func loadBalancer(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var lb = LoadBalancer(id: id)
        common(&lb, raw)
        lb.sku = raw.body["sku"]?["name"]?.stringValue ?? lb.sku
        lb.frontends = array(p["frontendIPConfigurations"]).enumerated().map { i, f in
            let fp = f["properties"] ?? .null
            let at = "properties.frontendIPConfigurations[\(i)].properties"
            return LoadBalancerFrontend(name: f["name"]?.stringValue ?? "frontend\(i)", subnet: rid(fp["subnet"], at + ".subnet"),
                                        privateIPAddress: address(fp["privateIPAddress"], at + ".privateIPAddress"),
                                        publicIPAddress: rid(fp["publicIPAddress"], at + ".publicIPAddress"))
        }
        lb.backendPools = array(p["backendAddressPools"]).enumerated().map { i, b in
            var pool = LoadBalancerBackendPool(name: b["name"]?.stringValue ?? "pool\(i)")
            for (k, entry) in array(b["properties"]?["loadBalancerBackendAddresses"]).enumerated() {
                let ep = entry["properties"] ?? .null
                let at = "properties.backendAddressPools[\(i)].properties.loadBalancerBackendAddresses[\(k)].properties"
                if let config = rid(ep["networkInterfaceIPConfiguration"], at + ".networkInterfaceIPConfiguration") {
                    pool.networkInterfaceIPConfigurations.append(config)
                } else if let ip = address(ep["ipAddress"], at + ".ipAddress") {
                    pool.addresses.append(ip)
                }
            }
            return pool
        }
        lb.rules = array(p["loadBalancingRules"]).enumerated().compactMap { i, r in
            let rp = r["properties"] ?? .null
            let at = "properties.loadBalancingRules[\(i)].properties"
            guard let frontend = childName(rp["frontendIPConfiguration"], at + ".frontendIPConfiguration") else { return nil }
            var rule = LoadBalancingRule(name: r["name"]?.stringValue ?? "rule\(i)", frontend: frontend,
                                         backendPool: childName(rp["backendAddressPool"], at + ".backendAddressPool")
                                            ?? array(rp["backendAddressPools"]).first.flatMap { childName($0, at + ".backendAddressPools[0]") },
                                         protocol: rp["protocol"]?.stringValue ?? "Tcp",
                                         frontendPort: int(rp["frontendPort"], at + ".frontendPort") ?? 0,
                                         backendPort: int(rp["backendPort"], at + ".backendPort") ?? int(rp["frontendPort"], at + ".frontendPort") ?? 0)
            rule.probe = childName(rp["probe"], at + ".probe")
            rule.enableFloatingIP = bool(rp["enableFloatingIP"], at + ".enableFloatingIP") ?? false
            return rule
        }
        lb.inboundNatRules = array(p["inboundNatRules"]).enumerated().compactMap { i, r in
            inboundNatRule(name: r["name"]?.stringValue ?? "nat\(i)", r["properties"] ?? .null, "properties.inboundNatRules[\(i)].properties")
        }
        lb.probes = array(p["probes"]).enumerated().map { i, r in
            let rp = r["properties"] ?? .null
            return LoadBalancerProbe(name: r["name"]?.stringValue ?? "probe\(i)", protocol: rp["protocol"]?.stringValue ?? "Tcp",
                                     port: int(rp["port"], "properties.probes[\(i)].properties.port") ?? 0)
        }
        graph.insert(lb)
    }

    func inboundNatRule(name: String, _ rp: ARMValue, _ at: String) -> InboundNatRule? {
        guard let frontend = childName(rp["frontendIPConfiguration"], at + ".frontendIPConfiguration") else { return nil }
        var rule = InboundNatRule(name: name, frontend: frontend, protocol: rp["protocol"]?.stringValue ?? "Tcp",
                                  frontendPort: int(rp["frontendPort"], at + ".frontendPort") ?? 0,
                                  backendPort: int(rp["backendPort"], at + ".backendPort") ?? 0)
        rule.backendIPConfiguration = rid(rp["backendIPConfiguration"], at + ".backendIPConfiguration")
        return rule
    }

    /// `Microsoft.Network/localNetworkGateways` (https://learn.microsoft.com/azure/templates/microsoft.network/localnetworkgateways).
    func localNetworkGateway(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var site = LocalNetworkGateway(id: id)
        common(&site, raw)
        site.gatewayIPAddress = text(p["gatewayIpAddress"], "properties.gatewayIpAddress")
        site.fqdn = text(p["fqdn"], "properties.fqdn")
        site.addressPrefixes = prefixes(array(p["localNetworkAddressSpace"]?["addressPrefixes"]), "properties.localNetworkAddressSpace.addressPrefixes")
        site.bgpASN = int(p["bgpSettings"]?["asn"], "properties.bgpSettings.asn")
        site.bgpPeeringAddress = text(p["bgpSettings"]?["bgpPeeringAddress"], "properties.bgpSettings.bgpPeeringAddress")
        graph.insert(site)
    }

    /// `Microsoft.Network/connections` (https://learn.microsoft.com/azure/templates/microsoft.network/connections).
    /// The shared key is a secret and is not kept.
    func gatewayConnection(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var connection = VirtualNetworkGatewayConnection(id: id)
        common(&connection, raw)
        connection.connectionType = p["connectionType"]?.stringValue ?? connection.connectionType
        connection.virtualNetworkGateway = rid(p["virtualNetworkGateway1"], "properties.virtualNetworkGateway1")
        connection.localNetworkGateway = rid(p["localNetworkGateway2"], "properties.localNetworkGateway2")
        connection.remoteVirtualNetworkGateway = rid(p["virtualNetworkGateway2"], "properties.virtualNetworkGateway2")
        connection.expressRouteCircuit = rid(p["peer"], "properties.peer")
        connection.enableBgp = bool(p["enableBgp"], "properties.enableBgp") ?? false
        graph.insert(connection)
    }

    /// `Microsoft.Network/dnsResolvers` (https://learn.microsoft.com/azure/templates/microsoft.network/dnsresolvers).
    func dnsResolver(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var resolver = graph.resource(id, as: DnsResolver.self) ?? DnsResolver(id: id)
        common(&resolver, raw)
        resolver.virtualNetwork = rid(p["virtualNetwork"], "properties.virtualNetwork")
        graph.insert(resolver)
    }

    /// `dnsResolvers/inboundEndpoints` and `dnsResolvers/outboundEndpoints`.
    func dnsResolverEndpoint(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        guard let parent = id.parent, var resolver = graph.resource(parent, as: DnsResolver.self) else { return opaque(raw, id) }
        if raw.type.lowercased().hasSuffix("/inboundendpoints") {
            let configs = array(p["ipConfigurations"])
            let first = configs.first ?? .null
            var endpoint = DnsResolverInboundEndpoint(name: id.name, subnet: rid(first["subnet"], "properties.ipConfigurations[0].subnet"),
                                                      privateIPAddress: address(first["privateIpAddress"], "properties.ipConfigurations[0].privateIpAddress"))
            endpoint.privateIPAllocationMethod = first["privateIpAllocationMethod"]?.stringValue ?? endpoint.privateIPAllocationMethod
            resolver.inboundEndpoints.append(endpoint)
        } else {
            resolver.outboundEndpoints.append(DnsResolverOutboundEndpoint(name: id.name, subnet: rid(p["subnet"], "properties.subnet")))
        }
        graph.insert(resolver)
    }

    /// `Microsoft.Network/dnsForwardingRulesets` (https://learn.microsoft.com/azure/templates/microsoft.network/dnsforwardingrulesets).
    func dnsForwardingRuleset(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var ruleset = graph.resource(id, as: DnsForwardingRuleset.self) ?? DnsForwardingRuleset(id: id)
        common(&ruleset, raw)
        ruleset.outboundEndpoints = array(p["dnsResolverOutboundEndpoints"]).enumerated().compactMap {
            rid($0.element, "properties.dnsResolverOutboundEndpoints[\($0.offset)]")
        }
        graph.insert(ruleset)
    }

    /// `dnsForwardingRulesets/forwardingRules` and `dnsForwardingRulesets/virtualNetworkLinks`.
    func dnsForwardingRulesetChild(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        guard let parent = id.parent, var ruleset = graph.resource(parent, as: DnsForwardingRuleset.self) else { return opaque(raw, id) }
        if raw.type.lowercased().hasSuffix("/forwardingrules") {
            let targets = array(p["targetDnsServers"]).enumerated().compactMap { i, t -> DnsTargetServer? in
                guard let ip = address(t["ipAddress"], "properties.targetDnsServers[\(i)].ipAddress") else { return nil }
                return DnsTargetServer(ipAddress: ip, port: int(t["port"], "properties.targetDnsServers[\(i)].port") ?? 53)
            }
            var rule = DnsForwardingRule(name: id.name, domainName: text(p["domainName"], "properties.domainName") ?? "", targetDnsServers: targets)
            rule.enabled = (p["forwardingRuleState"]?.stringValue ?? "Enabled").lowercased() != "disabled"
            ruleset.rules.append(rule)
        } else {
            guard let vnet = rid(p["virtualNetwork"], "properties.virtualNetwork") else { return opaque(raw, id) }
            ruleset.virtualNetworkLinks.append(DnsForwardingRulesetLink(name: id.name, virtualNetwork: vnet))
        }
        graph.insert(ruleset)
    }
}

/// A private endpoint's own network interface, as exports and Resource Graph list it: its addresses are the
/// endpoint's, not another machine's (https://learn.microsoft.com/azure/private-link/manage-private-endpoint).
extension GraphBuilder {
    /// The member addresses of a private endpoint's interface (`privateLinkConnectionProperties` per configuration).
    func privateEndpointConfigurations(_ p: ARMValue) -> [PrivateEndpointIPConfiguration] {
        array(p["ipConfigurations"]).enumerated().compactMap { i, c in
            let cp = c["properties"] ?? .null
            let at = "properties.ipConfigurations[\(i)].properties"
            guard let address = address(cp["privateIPAddress"], at + ".privateIPAddress") else { return nil }
            let link = cp["privateLinkConnectionProperties"] ?? .null
            let group = link["groupId"]?.stringValue ?? ""
            return PrivateEndpointIPConfiguration(name: c["name"]?.stringValue ?? "ipconfig\(i + 1)", groupID: group,
                                                  memberName: link["requiredMemberName"]?.stringValue ?? group, privateIPAddress: address)
        }
    }

    /// Gives each private endpoint the addresses of its interface (unless it declares static ones itself); an
    /// interface whose endpoint is not in the input stays an ordinary interface.
    func attachPrivateEndpointInterfaces() {
        for (endpointID, nic, configurations) in privateEndpointInterfaces {
            guard var endpoint = graph.resource(endpointID, as: PrivateEndpoint.self) else {
                graph.insert(nic)
                continue
            }
            if endpoint.ipConfigurations.isEmpty && !configurations.isEmpty {
                endpoint.ipConfigurations = configurations
                graph.insert(endpoint)
            }
        }
        privateEndpointInterfaces = []
    }
}
