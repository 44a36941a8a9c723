import Foundation
@testable import PalisadeSpec
import Testing

/// The published JSON Schema names exactly the keys the decoder accepts, section by section.
@Suite struct SchemaTests {
    func properties(_ path: [String]) throws -> Set<String> {
        let url = Paths.repository.appendingPathComponent("schema/palisade-spec.schema.json")
        var node = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for key in path {
            let properties = try #require(node["properties"] as? [String: Any])
            var child = try #require(properties[key] as? [String: Any])
            if let items = child["items"] as? [String: Any] { child = items }
            if let choices = child["oneOf"] as? [[String: Any]], let object = choices.first(where: { $0["properties"] != nil }) { child = object }
            node = child
        }
        return Set((node["properties"] as? [String: Any] ?? [:]).keys)
    }

    func keys<K: SpecKeys>(_ type: K.Type) -> Set<String> { Set(K.allCases.map(\.stringValue)) }

    @Test func schemaMatchesDecoder() throws {
        #expect(try properties([]) == keys(Spec.CodingKeys.self))
        #expect(try properties(["network"]) == keys(NetworkSpec.CodingKeys.self))
        #expect(try properties(["network", "subnets"]) == keys(SubnetSpec.CodingKeys.self))
        #expect(try properties(["workspace"]) == keys(WorkspaceSpec.CodingKeys.self))
        #expect(try properties(["workspace", "managedNetwork"]) == keys(ManagedNetworkSpec.CodingKeys.self))
        #expect(try properties(["workspace", "managedNetwork", "outboundRules"]) == keys(OutboundRuleSpec.CodingKeys.self))
        #expect(try properties(["compute"]) == keys(ComputeSpec.CodingKeys.self))
        #expect(try properties(["compute", "cluster"]) == keys(ClusterSpec.CodingKeys.self))
        #expect(try properties(["compute", "instance"]) == keys(InstanceSpec.CodingKeys.self))
        #expect(try properties(["storage"]) == keys(StorageSpec.CodingKeys.self))
        #expect(try properties(["keyVault"]) == keys(KeyVaultSpec.CodingKeys.self))
        #expect(try properties(["registry"]) == keys(RegistrySpec.CodingKeys.self))
        #expect(try properties(["monitoring"]) == keys(MonitoringSpec.CodingKeys.self))
        #expect(try properties(["firewall"]) == keys(FirewallSpec.CodingKeys.self))
        #expect(try properties(["access"]) == keys(AccessSpec.CodingKeys.self))
        #expect(try properties(["access", "bastion"]) == keys(BastionSpec.CodingKeys.self))
        #expect(try properties(["access", "jumpbox"]) == keys(JumpboxSpec.CodingKeys.self))
        #expect(try properties(["access", "vpn"]) == keys(VpnSpec.CodingKeys.self))
        #expect(try properties(["services"]) == keys(ServicesSpec.CodingKeys.self))
        #expect(try properties(["waivers"]) == keys(WaiverSpec.CodingKeys.self))
        #expect(try properties(["landingZone"]) == keys(LandingZoneSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "hub"]) == keys(HubNetworkSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "virtualHub"]) == keys(VirtualHubSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "firewall"]) == keys(CentralFirewallSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "dns"]) == keys(PlatformDnsSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "dns", "resolverVirtualNetwork"]) == keys(ResolverNetworkSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "spoke"]) == keys(ExistingSpokeSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "spoke", "subnets"]) == keys(ReusedSubnetsSpec.CodingKeys.self))
        #expect(try properties(["landingZone", "spoke", "subnets", "compute"]) == keys(ReusedSubnetSpec.CodingKeys.self))
    }

    /// The intents schema (and the spec schema's copy of it) names exactly the keys an intent accepts.
    @Test func intentsSchemaMatchesDecoder() throws {
        for file in ["schema/palisade-intents.schema.json", "schema/palisade-spec.schema.json"] {
            let url = Paths.repository.appendingPathComponent(file)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let intent = try #require((root["$defs"] as? [String: Any])?["intent"] as? [String: Any])
            let keys = Set((intent["properties"] as? [String: Any] ?? [:]).keys)
            #expect(keys == Set(IntentSpec.CodingKeys.allCases.map(\.stringValue)), "\(file)")
        }
    }
}
