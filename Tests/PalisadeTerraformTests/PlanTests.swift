import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// `terraform show -json` documents (https://developer.hashicorp.com/terraform/internals/json-format).
@Suite struct PlanTests {
    /// A plan of a VNet, a subnet in a module, an NSG and their association: the association's IDs are known only after
    /// apply (absent from planned_values), so the configuration's references link them.
    static let plan = """
    {
      "format_version": "1.2",
      "terraform_version": "1.9.5",
      "planned_values": {
        "root_module": {
          "resources": [
            {"address": "azurerm_network_security_group.nsg", "mode": "managed", "type": "azurerm_network_security_group", "name": "nsg",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "values": {"name": "nsg-app", "resource_group_name": "rg-app", "location": "westeurope",
                        "security_rule": [{"name": "deny-all", "priority": 4096, "direction": "Inbound", "access": "Deny", "protocol": "*",
                                           "source_port_range": "*", "destination_port_range": "*", "source_address_prefix": "*",
                                           "destination_address_prefix": "*", "source_port_ranges": [], "destination_port_ranges": [],
                                           "source_address_prefixes": [], "destination_address_prefixes": []}]}},
            {"address": "azurerm_subnet_network_security_group_association.a", "mode": "managed",
             "type": "azurerm_subnet_network_security_group_association", "name": "a", "values": {}}
          ],
          "child_modules": [
            {"address": "module.net", "resources": [
              {"address": "module.net.azurerm_virtual_network.v", "mode": "managed", "type": "azurerm_virtual_network", "name": "v",
               "values": {"name": "vnet-app", "resource_group_name": "rg-app", "location": "westeurope", "address_space": ["10.5.0.0/16"]}},
              {"address": "module.net.azurerm_subnet.s[0]", "mode": "managed", "type": "azurerm_subnet", "name": "s", "index": 0,
               "values": {"name": "snet-app", "resource_group_name": "rg-app", "virtual_network_name": "vnet-app",
                          "address_prefixes": ["10.5.1.0/24"], "private_endpoint_network_policies": "Disabled"}}
            ]}
          ]
        }
      },
      "configuration": {
        "provider_config": {"azurerm": {"name": "azurerm", "version_constraint": "~> 4.0"}},
        "root_module": {
          "resources": [
            {"address": "azurerm_subnet_network_security_group_association.a", "mode": "managed",
             "type": "azurerm_subnet_network_security_group_association", "name": "a",
             "expressions": {
               "subnet_id": {"references": ["module.net.subnet_id"]},
               "network_security_group_id": {"references": ["azurerm_network_security_group.nsg.id", "azurerm_network_security_group.nsg"]}
             }}
          ],
          "module_calls": {
            "net": {"source": "./net", "module": {
              "outputs": {"subnet_id": {"expression": {"references": ["azurerm_subnet.s[0].id", "azurerm_subnet.s[0]", "azurerm_subnet.s"]}}},
              "resources": [
                {"address": "azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s",
                 "expressions": {"virtual_network_name": {"references": ["azurerm_virtual_network.v.name", "azurerm_virtual_network.v"]}}}
              ]
            }}
          }
        }
      }
    }
    """

    @Test func planLinksAfterApplyIDsThroughConfigurationReferences() throws {
        let workspace = try Workspace(["plan.json": Self.plan])
        #expect(TerraformReader.isTerraform(workspace.path + "/plan.json"))
        let result = TerraformReader.read(workspace.path + "/plan.json")
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let subnet = try #require(result.graph.all(Subnet.self).first)
        #expect(subnet.id.rawValue.hasSuffix("/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-app"))
        #expect(subnet.addressPrefixes == [IPv4Prefix("10.5.1.0/24")!])
        #expect(subnet.source?.file.hasSuffix("plan.json") == true)
        #expect(subnet.source?.line != nil)
        #expect(result.graph.all(NetworkSecurityGroup.self).first?.securityRules.first?.access == .deny)
        #expect(result.graph.all(VirtualNetwork.self).first?.addressSpace == [IPv4Prefix("10.5.0.0/16")!])
        #expect(result.assumptions.contains { $0.contains("plan or state") })
    }

    @Test func planAssociationUsesTheModuleOutputReference() throws {
        // The association's subnet_id references module.net.subnet_id, an output: followed to the module's subnet.
        let workspace = try Workspace(["plan.json": Self.plan])
        let result = TerraformReader.read(workspace.path + "/plan.json")
        let subnet = try #require(result.graph.all(Subnet.self).first)
        #expect(subnet.networkSecurityGroup?.name == "nsg-app")
    }

    /// Attributes of a plan are located at their line in the JSON file, keyed as in a configuration.
    @Test func planAttributesAreLocated() throws {
        let workspace = try Workspace(["plan.json": Self.plan])
        let result = TerraformReader.read(workspace.path + "/plan.json")
        let lines = Self.plan.components(separatedBy: "\n")
        let prefixLine = try #require(lines.firstIndex { $0.contains(#""source_address_prefix": "*""#) }) + 1
        let policyLine = try #require(lines.firstIndex { $0.contains(#""private_endpoint_network_policies""#) }) + 1
        let nsg = try #require(result.graph.all(NetworkSecurityGroup.self).first)
        let location = try #require(result.graph.source(of: nsg.id, property: "properties.securityRules[0].properties.sourceAddressPrefix"))
        #expect(location.line == prefixLine)
        #expect(location.file.hasSuffix("plan.json"))
        let subnet = try #require(result.graph.all(Subnet.self).first)
        #expect(result.graph.source(of: subnet.id, property: "properties.privateEndpointNetworkPolicies")?.line == policyLine)
    }

    @Test func malformedPlanIsAnError() throws {
        let workspace = try Workspace(["plan.json": "{\"format_version\": \"1.2\", \"planned_values\": {"])
        let result = TerraformReader.read(workspace.path + "/plan.json")
        #expect(result.diagnostics.hasErrors)
        #expect(result.diagnostics.errors.first?.location?.line == 1)
    }
}
