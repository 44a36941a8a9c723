import Foundation
import PalisadeModel
import PalisadeRender
import Testing

/// A landing-zone spoke renders only the spoke; the platform's rule collection group is a separate artefact.
@Suite struct LandingZoneRenderTests {
    static let hubGroup = "/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-connectivity-westeurope/providers/Microsoft.Network/"

    static func files(_ target: RenderTarget) throws -> [String: String] {
        let result = Renderer.render(try Fixtures.example("landing-zone-hub"), target: target)
        #expect(result.warnings.isEmpty && result.unconvertible.isEmpty)
        return Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0.contents) })
    }

    /// The spoke's files create no hub, firewall, policy, zone, Bastion or gateway; they name the hub by its ID.
    @Test(arguments: RenderTarget.allCases)
    func spokeFilesCreateNoPlatformResource(_ target: RenderTarget) throws {
        let files = try Self.files(target)
        let spoke = files.filter { !$0.key.hasPrefix("platform-team/") }.values.joined()
        for forbidden in ["azurerm_firewall\"", "azurerm_firewall_policy\"", "azurerm_private_dns_zone\"", "azurerm_bastion_host",
                          "Microsoft.Network/azureFirewalls@", "\"Microsoft.Network/azureFirewalls\"", "Microsoft.Network/privateDnsZones@",
                          "\"Microsoft.Network/privateDnsZones\"", "Microsoft.Network/bastionHosts", "ruleCollectionGroups", "rule_collection_group"] {
            #expect(!spoke.contains(forbidden), "\(target): \(forbidden)")
        }
        #expect(spoke.contains(Self.hubGroup + "virtualNetworks/vnet-hub-westeurope"))
        #expect(spoke.contains("/resourceGroups/rg-dns-westeurope/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"))
        #expect(spoke.contains("10.60.0.4"))
    }

    @Test func terraformPeeringAndDNS() throws {
        let network = try #require(try Self.files(.terraform)["network.tf"])
        #expect(network.contains("resource \"azurerm_virtual_network_peering\""))
        #expect(network.contains("allow_forwarded_traffic      = true"))
        #expect(network.contains("use_remote_gateways          = true"))
        #expect(network.contains("allow_gateway_transit        = false"))
        #expect(network.contains("dns_servers         = [\"10.60.1.4\"]"))
        #expect(network.contains("bgp_route_propagation_enabled = false"))
    }

    /// The platform team's artefact, one per target, golden.
    @Test(arguments: [(RenderTarget.terraform, "spoke-onboarding.tf"), (.arm, "spoke-onboarding.json"), (.bicep, "spoke-onboarding.bicep")])
    func platformArtefactMatchesSnapshot(_ case_: (RenderTarget, String)) throws {
        let files = try Self.files(case_.0)
        let text = try #require(files["platform-team/\(case_.1)"])
        #expect(files.keys.filter { $0.hasPrefix("platform-team/") }.count == 1)
        #expect(text.contains("afwp-hub-westeurope") && text.contains("aml-mllz"))
        // The hub's side of the peering: forwarded traffic in, gateway transit offered (the hub has a gateway).
        #expect(text.contains("peer-hub-to-mllz") && text.contains("vnet-hub-westeurope"))
        try assertSnapshot(text, path: "landing-zone-hub/platform-team/\(case_.1)")
    }

    /// The ARM artefact holds exactly the hub's side of the peering (gateway transit offered, forwarded traffic
    /// accepted, the spoke as a parameter) and the rule collection group, nothing else.
    @Test func armPlatformTemplateAddsThePeeringAndTheGroup() throws {
        let text = try #require(try Self.files(.arm)["platform-team/spoke-onboarding.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(resources.map { $0["type"] as? String ?? "" } == [
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        ])
        #expect(resources.map { $0["name"] as? String ?? "" } == ["vnet-hub-westeurope/peer-hub-to-mllz", "afwp-hub-westeurope/aml-mllz"])
        let peering = try #require(resources.first?["properties"] as? [String: Any])
        #expect(peering["allowGatewayTransit"] as? Bool == true && peering["allowForwardedTraffic"] as? Bool == true)
        #expect(peering["useRemoteGateways"] as? Bool == false)
        #expect((peering["remoteVirtualNetwork"] as? [String: Any])?["id"] as? String == "[parameters('spokeVirtualNetworkId')]")
        let group = try #require(resources.last?["properties"] as? [String: Any])
        #expect(group["priority"] as? Int == 1200)
        let parameters = try #require(json["parameters"] as? [String: Any])
        #expect(Array(parameters.keys) == ["spokeVirtualNetworkId"])
    }

    /// Virtual WAN: the spoke's hub connection is a child of the platform's hub, so it goes to the platform team with
    /// the rule collection group; the spoke itself has no peering and (with routing intent) no route table.
    @Test(arguments: [(RenderTarget.terraform, "spoke-onboarding.tf"), (.arm, "spoke-onboarding.json"), (.bicep, "spoke-onboarding.bicep")])
    func virtualWANConnectionGoesToThePlatformTeam(_ case_: (RenderTarget, String)) throws {
        let result = Renderer.render(try Fixtures.example("landing-zone-vwan"), target: case_.0)
        #expect(result.warnings.isEmpty)
        let files = Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0.contents) })
        let text = try #require(files["platform-team/\(case_.1)"])
        #expect(text.contains("vhub-westeurope") && text.contains("conn-vnet-mlvwan") && text.contains("aml-mlvwan"))
        let spoke = files.filter { !$0.key.hasPrefix("platform-team/") }.values.joined()
        for absent in ["peering", "Peering", "routeTables", "azurerm_route_table", "hubVirtualNetworkConnections", "virtual_hub_connection"] {
            #expect(!spoke.contains(absent), "\(case_.0): \(absent)")
        }
        try assertSnapshot(text, path: "landing-zone-vwan/platform-team/\(case_.1)")
    }
}
