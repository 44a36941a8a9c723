import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// microsoft/privateAML read with the values of its terraform.tfvars.tmpl (test, westeurope, 10.1.0.0/22).
@Suite struct PrivateAMLTests {
    static let directory = Fixtures.path("terraform/privateaml")

    static func read() -> TerraformReadResult {
        var options = TerraformOptions()
        options.environment = [:]
        options.variableFiles = [directory + "/terraform.tfvars.tmpl"]
        return TerraformReader.read(directory, options: options)
    }

    @Test func readsCompletely() throws {
        let result = Self.read()
        #expect(!result.diagnostics.hasErrors)
        #expect(result.diagnostics.items.filter { $0.severity == .warning && $0.code.hasPrefix("terraform.") }.isEmpty,
                "\(result.diagnostics.items)")
        #expect(result.assumptions.contains { $0.contains("azurerm 3.9.0") })
    }
}


extension PrivateAMLTests {
    @Test func everyResourceIsLocatedInItsFile() throws {
        let result = Self.read()
        #expect(result.graph.count >= 45)
        for resource in result.graph.resources {
            let source = try #require(resource.source, "\(resource.id)")
            #expect(source.line != nil, "\(resource.id)")
            #expect(source.file.hasSuffix(".tf") || source.file.hasSuffix("ampls.json"), "\(source.file)")
            #expect(!source.file.contains("/./"))
        }
        // Every resource block of the configuration (none uses count or for_each) is an instance.
        #expect(result.addresses.count == 66)
    }

    @Test func networkAsTerraformWouldCreateIt() throws {
        let graph = Self.read().graph
        let subnets = Dictionary(uniqueKeysWithValues: graph.all(Subnet.self).map { ($0.name, $0) })
        // cidrsubnets("10.1.0.0/22", 6, 2, 4, 3): [1] firewall, [2] bastion, [3] shared.
        #expect(subnets["AzureFirewallSubnet"]?.addressPrefixes == [IPv4Prefix("10.1.1.0/24")!])
        #expect(subnets["AzureBastionSubnet"]?.addressPrefixes == [IPv4Prefix("10.1.2.0/26")!])
        #expect(subnets["SharedSubnet"]?.addressPrefixes == [IPv4Prefix("10.1.2.128/25")!])
        // azurerm 3.9.0: enforce_private_link_endpoint_network_policies = true disables the policies.
        #expect(subnets["SharedSubnet"]?.privateEndpointNetworkPolicies == .disabled)
        #expect(subnets["SharedSubnet"]?.networkSecurityGroup?.name == "nsg-shared")
        #expect(subnets["SharedSubnet"]?.routeTable?.name.hasPrefix("rt-test") == true)
        let nsg = try #require(graph.all(NetworkSecurityGroup.self).first { $0.name == "nsg-shared" })
        #expect(nsg.securityRules.map(\.name).sorted() == ["allow-AzureML-inbound", "allow-Batch-inbound", "allow-Outbound-Storage-445"])
        let firewall = try #require(graph.all(AzureFirewall.self).first)
        #expect(firewall.privateIPAddress == IPv4Address("10.1.1.4"))
        #expect(firewall.applicationRuleCollections.first?.rules.count == 3)
        if case .network(let rule)? = firewall.networkRuleCollections.first(where: { $0.name == "shared" })?.rules.first {
            #expect(rule.destinationAddresses == ["Storage.WestEurope", "AzureContainerRegistry"])
            #expect(rule.sourceAddresses == ["10.1.2.128/25"])
        } else {
            Issue.record("no shared network rule")
        }
        let route = try #require(graph.all(RouteTable.self).first?.routes.first)
        #expect(route.nextHopIPAddress == IPv4Address("10.1.1.4"))
        // The AMPLS comes from the embedded ARM template, named by parameters_content.
        #expect(graph.all(MonitorPrivateLinkScope.self).first?.name.hasPrefix("ampls-test") == true)
        let endpoints = graph.all(PrivateEndpoint.self)
        #expect(endpoints.count == 5)
        #expect(endpoints.allSatisfy { $0.subnet == subnets["SharedSubnet"]?.id && $0.target != nil })
    }
}
