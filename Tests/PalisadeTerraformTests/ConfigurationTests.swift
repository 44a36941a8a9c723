import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// Variables, locals, count/for_each, dynamic blocks, modules and errors, on small configurations.
@Suite struct ConfigurationTests {
    static let network = """
    variable "name" { type = string }
    variable "spaces" {
      type    = map(string)
      default = { a = "10.0.0.0/24", b = "10.0.1.0/24" }
    }
    locals {
      prefix = "vnet-${var.name}"
      rules  = [{ name = "ssh", port = 22, priority = 100 }, { name = "https", port = 443, priority = 110 }]
    }
    resource "azurerm_resource_group" "main" {
      name     = "rg-${var.name}"
      location = "westeurope"
    }
    resource "azurerm_virtual_network" "main" {
      name                = local.prefix
      resource_group_name = azurerm_resource_group.main.name
      location            = azurerm_resource_group.main.location
      address_space       = ["10.0.0.0/16"]
    }
    resource "azurerm_subnet" "each" {
      for_each             = var.spaces
      name                 = "snet-${each.key}"
      resource_group_name  = azurerm_resource_group.main.name
      virtual_network_name = azurerm_virtual_network.main.name
      address_prefixes     = [each.value]
    }
    resource "azurerm_network_security_group" "nsg" {
      count               = 2
      name                = "nsg-${count.index}"
      resource_group_name = azurerm_resource_group.main.name
      location            = "westeurope"
      dynamic "security_rule" {
        for_each = local.rules
        content {
          name                       = security_rule.value.name
          priority                   = security_rule.value.priority
          direction                  = "Inbound"
          access                     = "Allow"
          protocol                   = "Tcp"
          source_port_range          = "*"
          destination_port_range     = tostring(security_rule.value.port)
          source_address_prefix      = "*"
          destination_address_prefix = "*"
        }
      }
    }
    resource "azurerm_subnet_network_security_group_association" "a" {
      subnet_id                 = azurerm_subnet.each["a"].id
      network_security_group_id = azurerm_network_security_group.nsg[1].id
    }
    """

    @Test func variablesForEachCountDynamicAndAssociations() throws {
        let result = try Workspace(["main.tf": Self.network]).read { $0.variables = [("name", "demo")] }
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let subnets = result.graph.all(Subnet.self)
        #expect(subnets.map(\.name) == ["snet-a", "snet-b"])
        let a = try #require(subnets.first)
        #expect(a.addressPrefixes == [IPv4Prefix("10.0.0.0/24")!])
        #expect(a.networkSecurityGroup?.name == "nsg-1")
        #expect(a.id.rawValue.hasSuffix("/resourceGroups/rg-demo/providers/Microsoft.Network/virtualNetworks/vnet-demo/subnets/snet-a"))
        let nsg = try #require(result.graph.all(NetworkSecurityGroup.self).last)
        #expect(nsg.securityRules.map(\.name) == ["ssh", "https"])
        #expect(nsg.securityRules.last?.destinationPorts == .ports(443))
        #expect(nsg.source?.line == 27)
        #expect(nsg.source?.path == "azurerm_network_security_group.nsg[1]")
    }

    @Test func variablePrecedence() throws {
        let files = [
            "main.tf": Self.network,
            "terraform.tfvars": "name = \"fromtfvars\"\n",
            "b.auto.tfvars": "name = \"fromauto\"\n",
        ]
        #expect(try Workspace(files).read().graph.all(ResourceGroup.self).first?.name == "rg-fromauto")
        #expect(try Workspace(files).read { $0.environment = ["TF_VAR_name": "fromenv"] }.graph.all(ResourceGroup.self).first?.name == "rg-fromauto")
        #expect(try Workspace(["main.tf": Self.network]).read { $0.environment = ["TF_VAR_name": "fromenv"] }.graph.all(ResourceGroup.self).first?.name == "rg-fromenv")
        #expect(try Workspace(files).read { $0.variables = [("name", "fromflag")] }.graph.all(ResourceGroup.self).first?.name == "rg-fromflag")
    }

    @Test func missingRequiredVariableNamesItAndHowToSetIt() throws {
        let result = try Workspace(["main.tf": Self.network]).read()
        let error = try #require(result.diagnostics.errors.first)
        #expect(error.message.contains("required variable 'name'"))
        #expect(error.location?.line == 1)
        #expect(error.fix?.contains("--var name=") == true)
        #expect(result.graph.count == 0)
    }

    @Test func localsCycleIsAClearError() throws {
        let result = try Workspace(["main.tf": """
        locals {
          a = local.b
          b = "${local.a}-x"
        }
        resource "azurerm_resource_group" "main" {
          name     = local.a
          location = "westeurope"
        }
        """]).read()
        let error = try #require(result.diagnostics.errors.first)
        #expect(error.message.contains("depends on itself"))
        #expect(error.message.contains("local.a → local.b → local.a") || error.message.contains("local.b → local.a → local.b"))
        #expect(error.location?.file.hasSuffix("main.tf") == true)
    }

    @Test func malformedHCLGivesFileLineColumn() throws {
        let result = try Workspace(["main.tf": "resource \"azurerm_resource_group\" \"x\" {\n  name = \"rg\n}\n"]).read()
        let error = try #require(result.diagnostics.errors.first)
        #expect(error.message.contains("unterminated string"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 10)
    }

    @Test func hostileNestingFailsFast() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let result = try Workspace(["main.tf": "locals {\n  x = \(deep)\n}\n"]).read()
        #expect(result.diagnostics.errors.first?.message.contains("nesting is deeper") == true)
    }

    @Test func localModulesAtDepthWithInputsAndOutputs() throws {
        let result = try Workspace([
            "main.tf": """
            module "net" {
              source = "./modules/net"
              name   = "core"
            }
            resource "azurerm_private_dns_zone" "z" {
              name                = "privatelink.blob.core.windows.net"
              resource_group_name = module.net.group
            }
            """,
            "modules/net/main.tf": """
            variable "name" {}
            module "group" {
              source = "../group"
              name   = "rg-${var.name}"
            }
            output "group" { value = module.group.name }
            """,
            "modules/group/main.tf": """
            variable "name" {}
            resource "azurerm_resource_group" "g" {
              name     = var.name
              location = "westeurope"
            }
            output "name" { value = azurerm_resource_group.g.name }
            """,
        ]).read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.graph.all(ResourceGroup.self).first?.name == "rg-core")
        #expect(result.graph.all(PrivateDnsZone.self).first?.id.resourceGroupName == "rg-core")
        #expect(result.addresses.contains("module.net.module.group.azurerm_resource_group.g"))
    }

    @Test func registryModuleWithoutInitIsReportedNotFatal() throws {
        let result = try Workspace(["main.tf": """
        module "avm" {
          source  = "Azure/avm-res-network-virtualnetwork/azurerm"
          version = "0.7.1"
        }
        resource "azurerm_resource_group" "main" {
          name     = "rg-x"
          location = "westeurope"
        }
        """]).read()
        #expect(!result.diagnostics.hasErrors)
        let warning = try #require(result.diagnostics.items.first { $0.code == "terraform.module-unavailable" })
        #expect(warning.message.contains("module 'avm'"))
        #expect(warning.message.contains("resources are unknown"))
        #expect(result.graph.count == 1)
    }

    @Test func azurerm3PolicyFlagMeansDisabled() throws {
        let base = """
        resource "azurerm_subnet" "s" {
          name                 = "s"
          resource_group_name  = "rg"
          virtual_network_name = "v"
          address_prefixes     = ["10.0.0.0/24"]
          %@
        }
        """
        let v3 = try Workspace([
            "main.tf": base.replacingOccurrences(of: "%@", with: "enforce_private_link_endpoint_network_policies = true"),
            "versions.tf": "terraform {\n  required_providers {\n    azurerm = { source = \"hashicorp/azurerm\", version = \"~> 3.9\" }\n  }\n}\n",
        ]).read()
        #expect(v3.graph.all(Subnet.self).first?.privateEndpointNetworkPolicies == .disabled)
        let v3Default = try Workspace([
            "main.tf": base.replacingOccurrences(of: "%@", with: ""),
            "versions.tf": "terraform {\n  required_providers {\n    azurerm = { source = \"hashicorp/azurerm\", version = \"=3.9.0\" }\n  }\n}\n",
        ]).read()
        #expect(v3Default.graph.all(Subnet.self).first?.privateEndpointNetworkPolicies == .enabled)
        let v4 = try Workspace(["main.tf": base.replacingOccurrences(of: "%@", with: "private_endpoint_network_policies = \"NetworkSecurityGroupEnabled\"")]).read()
        #expect(v4.graph.all(Subnet.self).first?.privateEndpointNetworkPolicies == .networkSecurityGroupEnabled)
    }

    @Test func tfJSONFilesAreRead() throws {
        let result = try Workspace(["main.tf.json": """
        {
          "variable": { "name": { "default": "json" } },
          "resource": {
            "azurerm_network_security_group": {
              "n": {
                "name": "nsg-${var.name}",
                "resource_group_name": "rg",
                "location": "westeurope",
                "security_rule": [{ "name": "r", "priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "*",
                                    "source_port_range": "*", "destination_port_range": "*", "source_address_prefix": "*",
                                    "destination_address_prefix": "*" }]
              }
            }
          }
        }
        """]).read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let nsg = try #require(result.graph.all(NetworkSecurityGroup.self).first)
        #expect(nsg.name == "nsg-json")
        #expect(nsg.securityRules.first?.access == .deny)
        #expect(nsg.source?.line == 5)
    }

    @Test func unknownResourceTypesStayOpaque() throws {
        let result = try Workspace(["main.tf": """
        resource "azurerm_spring_cloud_service" "c" {
          name                = "spring"
          resource_group_name = "rg"
          location            = "westeurope"
        }
        """]).read()
        let opaque = try #require(result.graph.all(OpaqueResource.self).first)
        #expect(opaque.type.rawValue == "Terraform.azurerm/azurerm_spring_cloud_service")
        #expect(opaque.source?.line == 1)
    }
}

extension ConfigurationTests {
    @Test func optionalObjectAttributesAndComputedAttributesThroughFunctions() throws {
        let result = try Workspace(["main.tf": """
        variable "endpoints" {
          type = map(object({
            name     = string
            location = optional(string)
            subnet   = optional(string, "snet-default")
          }))
          default = { a = { name = "pe-a" } }
        }
        data "azapi_client_config" "current" {}
        resource "azurerm_resource_group" "rg" {
          for_each = var.endpoints
          name     = "rg-${each.value.name}-${each.value.subnet}"
          location = each.value.location != null ? each.value.location : "westeurope"
          tags     = { tenant = one([data.azapi_client_config.current]).tenant_id, id = provider::azurerm::normalise_resource_id("x") }
        }
        """]).read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let group = try #require(result.graph.all(ResourceGroup.self).first)
        #expect(group.name == "rg-pe-a-snet-default")
        #expect(group.location == "westeurope")
        #expect(group.tags["id"] == "x")
    }

    @Test func resourcesNamedOnlyAfterApplyStayInTheGraph() throws {
        let result = try Workspace(["main.tf": """
        resource "random_pet" "p" {}
        resource "terraform_data" "n" {}
        resource "azurerm_resource_group" "rg" {
          name     = "rg-x"
          location = "westeurope"
        }
        resource "azurerm_network_security_group" "n" {
          name                = terraform_data.n.output
          resource_group_name = azurerm_resource_group.rg.name
          location            = "westeurope"
        }
        """]).read()
        let nsg = try #require(result.graph.all(NetworkSecurityGroup.self).first)
        #expect(nsg.name == "azurerm_network_security_group.n")
        #expect(result.assumptions.contains { $0.contains("azurerm_network_security_group.n: its name or resource group is only known after apply") })
    }
}

extension ConfigurationTests {
    @Test func longChainsOfLocalsFailCleanly() throws {
        var text = "locals {\n  l0 = \"x\"\n"
        for index in 1..<1000 { text += "  l\(index) = \"${local.l\(index - 1)}y\"\n" }
        text += "}\nresource \"azurerm_resource_group\" \"rg\" {\n  name     = local.l999\n  location = \"westeurope\"\n}\n"
        let result = try Workspace(["main.tf": text]).read()
        #expect(result.diagnostics.errors.first?.message.contains("nest deeper") == true)
        var short = "locals {\n  l0 = \"x\"\n"
        for index in 1..<100 { short += "  l\(index) = \"${local.l\(index - 1)}y\"\n" }
        short += "}\nresource \"azurerm_resource_group\" \"rg\" {\n  name     = local.l99\n  location = \"westeurope\"\n}\n"
        #expect(try Workspace(["main.tf": short]).read().graph.all(ResourceGroup.self).first?.name == "x" + String(repeating: "y", count: 99))
    }
}

extension ConfigurationTests {
    @Test func nestedLoopsCannotExhaustMemory() throws {
        let result = try Workspace(["main.tf": """
        locals {
          big = [for i in range(1000000) : [for j in range(1000000) : j]]
        }
        resource "azurerm_resource_group" "rg" {
          name     = "rg-${length(local.big)}"
          location = "westeurope"
        }
        """]).read()
        #expect(result.diagnostics.errors.first?.message.contains("2 million") == true)
        #expect(result.diagnostics.errors.first?.location?.line == 2)
    }
}
