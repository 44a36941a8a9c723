import Foundation
import Testing
@testable import PalisadeModel

/// The platform records (load balancers, on-premises sites, connections, DNS resolvers, forwarding rulesets) survive
/// a snapshot round trip, and snapshots written while they were opaque still load.
@Suite struct PlatformRecordTests {
    static let rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"

    @Test func typedRecordsRoundTrip() throws {
        var ruleset = DnsForwardingRuleset(id: ResourceID("\(Self.rg)/dnsForwardingRulesets/rs"))
        ruleset.rules = [DnsForwardingRule(name: "Contoso", domainName: "contoso.com.", targetDnsServers: [DnsTargetServer(ipAddress: IPv4Address("10.100.0.2")!)])]
        var site = LocalNetworkGateway(id: ResourceID("\(Self.rg)/localNetworkGateways/hq"))
        site.addressPrefixes = [IPv4Prefix("192.168.1.0/24")!]
        let resources: [Resource] = [ruleset.asResource, site.asResource, LoadBalancer(id: ResourceID("\(Self.rg)/loadBalancers/lb")).asResource]
        let data = try JSONEncoder().encode(resources)
        let back = try JSONDecoder().decode([Resource].self, from: data)
        #expect(back == resources)
    }

    @Test func olderOpaqueSnapshotsStillLoad() throws {
        var old = OpaqueResource(id: ResourceID("\(Self.rg)/loadBalancers/lb"), type: ResourceType("Microsoft.Network/loadBalancers"))
        old.properties = .object(["frontendIPConfigurations": .array([])])
        let data = try JSONEncoder().encode([Resource.opaque(old)])
        let back = try JSONDecoder().decode([Resource].self, from: data)
        guard case .opaque(let opaque)? = back.first else { Issue.record("expected an opaque resource, got \(back)"); return }
        #expect(opaque.type == .loadBalancer)
    }
}
