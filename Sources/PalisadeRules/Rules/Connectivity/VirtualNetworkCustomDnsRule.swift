import PalisadeModel

/// A VNet with custom DNS servers sees private zones only through a resolver in a linked VNet (docs/semantics.md#azure-dns-resolution-order).
public struct VirtualNetworkCustomDnsRule: Rule {
    public static let description = RuleDescription(
        id: "virtual_network_custom_dns",
        title: "Virtual Network Custom DNS",
        kind: .connectivity,
        defaultSeverity: .warning,
        rationale: """
        Private DNS zones answer only queries that reach Azure DNS (168.63.129.16) from a linked VNet. A VNet that \
        uses custom DNS servers resolves private endpoint names only if those servers forward the public zones (api.azureml.ms, notebooks.azure.net, …) \
        to Azure DNS from a VNet linked to every private endpoint zone, or are an Azure Firewall with DNS proxy in \
        such a VNet; otherwise workspace and storage names resolve publicly ("Access to workspace was denied based on workspace private link configuration").
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns; https://learn.microsoft.com/azure/private-link/private-endpoint-dns; https://learn.microsoft.com/azure/firewall/dns-settings",
        fix: "run the DNS server (or the DNS-proxying firewall) in a VNet linked to every private endpoint zone and forward the zones to 168.63.129.16",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-dns", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/24"]},
              "subnets": [{"name": "dns", "properties": {"addressPrefix": "10.9.0.0/28"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "dhcpOptions": {"dnsServers": ["10.9.0.4"]},
              "subnets": [{"name": "endpoints", "properties": {"addressPrefix": "10.0.0.0/24"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-onprem-dns", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "dhcpOptions": {"dnsServers": ["192.168.10.10"]},
              "subnets": [{"name": "endpoints", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
            {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.vaultcore.azure.net", "location": "global"},
            {"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "privatelink.vaultcore.azure.net/vnet",
             "location": "global", "dependsOn": ["[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"],
             "properties": {"registrationEnabled": false, "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"}}},
            {"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "privatelink.vaultcore.azure.net/onprem",
             "location": "global", "dependsOn": ["[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"],
             "properties": {"registrationEnabled": false, "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-onprem-dns')]"}}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2023-09-01", "name": "pe-kv/default",
             "dependsOn": ["[resourceId('Microsoft.Network/privateEndpoints', 'pe-kv')]"],
             "properties": {"privateDnsZoneConfigs": [{"name": "vault", "properties": {
               "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv2", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-onprem-dns', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]"}}]}}
            """, flagging: ["vnet", "vnet-onprem-dns"]),
        ]
    )

    public init() {}

    /// Azure DNS's virtual IP.
    static let azureDNS = IPv4Address("168.63.129.16")!

    public func check(_ context: RuleContext) -> [Finding] {
        let zones = Set(context.graph.all(PrivateEndpoint.self).flatMap { $0.privateDnsZoneGroup?.zones ?? [] })
            .compactMap { context.graph.resource($0, as: PrivateDnsZone.self) }.sorted { $0.id < $1.id }
        guard !zones.isEmpty else { return [] }
        let used = Set(context.graph.all(PrivateEndpoint.self).compactMap { $0.subnet?.parent }
            + context.graph.all(MachineLearningCompute.self).compactMap { $0.subnet?.parent }
            + context.graph.all(NetworkInterface.self).flatMap { $0.ipConfigurations.compactMap { $0.subnet?.parent } })
        // Estates point many VNets at the same few servers: each server's VNet is looked up once.
        var networks: [IPv4Address: ResourceID?] = [:]
        return context.graph.all(VirtualNetwork.self).compactMap { vnet in
            guard used.contains(vnet.id), !vnet.dnsServers.isEmpty, !vnet.dnsServers.contains(Self.azureDNS) else { return nil }
            var unknown: [IPv4Address] = []
            var missing: [(server: IPv4Address, network: ResourceID, zones: [PrivateDnsZone])] = []
            for server in vnet.dnsServers {
                if networks[server] == nil { networks[server] = .some(Self.network(of: server, context)) }
                guard let network = networks[server]! else { unknown.append(server); continue }
                let unlinked = zones.filter { !$0.virtualNetworkLinks.contains { $0.virtualNetwork == network } }
                if !unlinked.isEmpty { missing.append((server, network, unlinked)) }
            }
            guard !unknown.isEmpty || !missing.isEmpty else { return nil }
            let evidence: [Evidence] = [.property(vnet.id, "properties.dhcpOptions.dnsServers", vnet.dnsServers.map(\.description).joined(separator: ", "))]
                + missing.map { .related($0.network, "DNS server \($0.server)'s VNet is not linked to \($0.zones.map(\.name).joined(separator: ", "))") }
            if missing.isEmpty {
                return context.finding(
                    Self.self, vnet,
                    "virtual network '\(vnet.name)' resolves through DNS server(s) \(unknown.map(\.description).joined(separator: ", ")) outside the modelled VNets; private endpoint names resolve privately only if they forward the privatelink zones to 168.63.129.16 from a linked VNet",
                    evidence: evidence, severity: .note)
            }
            return context.finding(
                Self.self, vnet,
                "virtual network '\(vnet.name)' resolves through DNS server(s) \(missing.map(\.server.description).joined(separator: ", ")) in VNet(s) not linked to \(Set(missing.flatMap { $0.zones.map(\.name) }).sorted().joined(separator: ", ")); those names will resolve to public addresses",
                evidence: evidence)
        }
    }

    /// The VNet whose resolver answers at `server`: the VNet containing it (a DNS VM, resolver or firewall with DNS proxy).
    static func network(of server: IPv4Address, _ context: RuleContext) -> ResourceID? {
        context.graph.all(VirtualNetwork.self).first { $0.addressSpace.contains { $0.contains(server) } }?.id
    }
}

// MARK: - Fix

extension VirtualNetworkCustomDnsRule {
    /// Makes the VNet's DNS resolve the private endpoint zones. A DNS server in a modelled VNet gets that VNet linked
    /// to every zone it misses (it forwards to 168.63.129.16 from there,
    /// https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration#virtual-network-and-on-premises-workloads-using-a-dns-forwarder).
    /// Servers outside the model are replaced by the inbound endpoint of a DNS Private Resolver whose VNet is linked
    /// to every zone when the model has one, else by Azure-provided DNS
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances);
    /// names those servers answered (on premises) then need a forwarding ruleset. The fix opens nothing.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let vnet = context.graph.resource(finding.subject, as: VirtualNetwork.self) else { return nil }
        let zones = Set(context.graph.all(PrivateEndpoint.self).flatMap { $0.privateDnsZoneGroup?.zones ?? [] })
            .compactMap { context.graph.resource($0, as: PrivateDnsZone.self) }.sorted { $0.id < $1.id }
        var links: [(zone: PrivateDnsZone, network: ResourceID)] = []
        var unknown: [IPv4Address] = []
        for server in vnet.dnsServers {
            guard let network = Self.network(of: server, context) else { unknown.append(server); continue }
            for zone in zones where !zone.virtualNetworkLinks.contains(where: { $0.virtualNetwork == network }) { links.append((zone, network)) }
        }
        var steps: [String] = []
        let linkedNetworks = Set(links.map(\.network)).sorted()
        for network in linkedNetworks {
            steps.append("link \(links.filter { $0.network == network }.map { "'\($0.zone.name)'" }.joined(separator: ", ")) to '\(network.name)', where DNS server(s) of '\(vnet.name)' run")
        }
        var servers = vnet.dnsServers
        if !unknown.isEmpty {
            let resolver = context.graph.all(DnsResolver.self).first { resolver in
                guard let network = resolver.virtualNetwork else { return false }
                return zones.allSatisfy { zone in zone.virtualNetworkLinks.contains { $0.virtualNetwork == network } || links.contains { $0.zone.id == zone.id && $0.network == network } }
            }
            if let address = resolver?.inboundEndpoints.compactMap(\.privateIPAddress).first {
                servers = servers.filter { !unknown.contains($0) }
                if !servers.contains(address) { servers.append(address) }
                steps.append("point '\(vnet.name)' at DNS Private Resolver '\(resolver!.name)' (\(address)) instead of \(unknown.map(\.description).joined(separator: ", "))")
            } else {
                servers = []
                steps.append("let '\(vnet.name)' use Azure-provided DNS instead of \(vnet.dnsServers.map(\.description).joined(separator: ", ")) (names those servers answered need a DNS Private Resolver forwarding ruleset)")
            }
        }
        guard !steps.isEmpty else { return nil }
        let newServers = servers
        return context.propose(steps.joined(separator: "; ")) { graph in
            for network in linkedNetworks {
                for link in links where link.network == network { graph.ensureZone(link.zone.name, near: link.zone.id, linkedTo: [network]) }
            }
            if newServers != vnet.dnsServers { graph.update(vnet.id, as: VirtualNetwork.self) { $0.dnsServers = newServers } }
        }
    }
}
