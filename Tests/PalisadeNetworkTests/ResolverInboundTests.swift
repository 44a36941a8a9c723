import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// A spoke whose DNS server is a DNS Private Resolver's inbound endpoint in the hub (the landing-zone pattern of
/// https://learn.microsoft.com/azure/dns/private-resolver-architecture#centralized-dns-architecture): the zones are
/// linked to the hub only, and the spoke's queries are answered as Azure DNS in the hub.
@Suite struct ResolverInboundTests {
    @Test func spokeResolvesThroughTheHubResolver() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"], dns: ["10.0.2.4"])
        let other = e.vnet("other", ["10.2.0.0/16"], dns: ["192.168.7.7"])
        e.peer(hub, spoke)
        let peSubnet = e.subnet(spoke, "pe", "10.1.1.0/24")
        let zone = e.zone("privatelink.vaultcore.azure.net", links: [(hub, "Default")])
        var kv = KeyVault(id: e.id("Microsoft.KeyVault", [("vaults", "kv1")]), location: "eastus")
        kv.publicNetworkAccess = .disabled
        e.graph.insert(kv)
        e.privateEndpoint("pe-kv", subnet: peSubnet, target: kv.id, group: "vault", ip: "10.1.1.7", zones: [zone])
        let model = e.compile()
        let answer = model.resolve("kv1.vault.azure.net", from: .virtualNetwork(spoke))
        #expect(answer.addresses == [.ip(ip("10.1.1.7"))])
        #expect(answer.detail.contains("resolver"))
        #expect(answer.assumptions.contains { $0.contains("10.0.2.4") })
        // A server in no modelled VNet stays a public resolver: the private zone is not seen.
        let outside = model.resolve("kv1.vault.azure.net", from: .virtualNetwork(other))
        #expect(outside.publicEndpointOf?.name == "kv1")
    }
}
