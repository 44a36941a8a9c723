import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeRender

/// Graphs no valid input produces (a child whose ID lacks name segments) still render in bounded time and depth.
@Suite struct HostileGraphTests {
    static func raw(_ type: String, _ id: String, _ properties: String = "{}") throws -> RawResource {
        var parser = JSONParser(maxDepth: 32)
        let body = try parser.parse(#"{"location": "eastus", "properties": \#(properties)}"#).value
        return RawResource(type: type, name: ResourceID(id).name, id: id, body: body, source: nil)
    }

    @Test(arguments: RenderTarget.allCases)
    func childWithTooFewNameSegmentsRenders(target: RenderTarget) throws {
        let rg = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers"
        let resources = [
            try Self.raw("Microsoft.Network/virtualNetworks", "\(rg)/Microsoft.Network/virtualNetworks/v",
                         #"{"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}"#),
            // What a template naming a subnet 's' (instead of 'v/s') used to produce.
            try Self.raw("Microsoft.Network/virtualNetworks/subnets", "\(rg)/Microsoft.Network/virtualNetworks/s/subnets",
                         #"{"addressPrefix": "10.0.0.0/24"}"#),
            try Self.raw("Microsoft.Network/virtualNetworks/subnets", "\(rg)/Microsoft.Network/virtualNetworks/subnets/subnets",
                         #"{"addressPrefix": "10.0.1.0/24"}"#),
            try Self.raw("Microsoft.Network/virtualNetworks/subnets", "\(rg)/Microsoft.Network/virtualNetworks/t/subnets/",
                         #"{"addressPrefix": "10.0.2.0/24"}"#),
            try Self.raw("Microsoft.Network/networkSecurityGroups/securityRules", "\(rg)/Microsoft.Network/networkSecurityGroups/securityRules"),
            try Self.raw("Microsoft.Network/networkSecurityGroups/securityRules", "\(rg)/Microsoft.Network/networkSecurityGroups/n/securityRules/"),
            try Self.raw("Microsoft.Network/routeTables/routes", "\(rg)/Microsoft.Network/routeTables/r/routes/"),
            try Self.raw("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "\(rg)/Microsoft.Network/privateDnsZones/z/virtualNetworkLinks/"),
            try Self.raw("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "\(rg)/Microsoft.Network/privateEndpoints/p/privateDnsZoneGroups/"),
            // These two made the ARM and Bicep renderers recurse until the stack overflowed.
            try Self.raw("Microsoft.KeyVault/vaults/secrets", "\(rg)/Microsoft.KeyVault/vaults/s/secrets/"),
            try Self.raw("Microsoft.MachineLearningServices/workspaces/computes", "\(rg)/Microsoft.MachineLearningServices/workspaces/c/computes/"),
        ]
        let (graph, _) = ARMImporter.convert(resources)
        let result = Renderer.render(graph, target: target)
        #expect(!result.files.isEmpty)
    }
}
