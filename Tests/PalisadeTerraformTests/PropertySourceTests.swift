import Foundation
import PalisadeModel
import PalisadeRules
import Testing
@testable import PalisadeTerraform

/// Findings about a property point at the `.tf` line of the argument or block that set it.
@Suite struct PropertySourceTests {
    static let configuration = """
    resource "azurerm_storage_account" "sa" {
      name                     = "stdemo"
      resource_group_name      = "rg"
      location                 = "westeurope"
      account_tier             = "Standard"
      account_replication_type = "LRS"
      public_network_access_enabled = true
      network_rules {
        default_action = "Deny"
      }
    }
    locals {
      rules = [{ name = "ssh", port = 22, priority = 100 }]
    }
    resource "azurerm_network_security_group" "nsg" {
      name                = "nsg-demo"
      resource_group_name = "rg"
      location            = "westeurope"
      security_rule {
        name                       = "https"
        priority                   = 90
        direction                  = "Inbound"
        access                     = "Allow"
        protocol                   = "Tcp"
        source_port_range          = "*"
        destination_port_range     = "443"
        source_address_prefix      = "VirtualNetwork"
        destination_address_prefix = "*"
      }
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
          source_address_prefix      = "Internet"
          destination_address_prefix = "*"
        }
      }
    }
    resource "azurerm_network_security_rule" "rdp" {
      name                        = "rdp"
      priority                    = 120
      direction                   = "Inbound"
      access                      = "Allow"
      protocol                    = "Tcp"
      source_port_range           = "*"
      destination_port_range      = "3389"
      source_address_prefix       = "*"
      destination_address_prefix  = "*"
      resource_group_name         = "rg"
      network_security_group_name = azurerm_network_security_group.nsg.name
    }
    resource "azapi_resource" "kv" {
      type      = "Microsoft.KeyVault/vaults@2023-07-01"
      name      = "kv-demo"
      parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
      location  = "westeurope"
      body = {
        properties = {
          tenantId            = "00000000-0000-0000-0000-000000000000"
          sku                 = { family = "A", name = "standard" }
          publicNetworkAccess = "Enabled"
        }
      }
    }
    """

    @Test func argumentsAndBlocksAreLocated() throws {
        let workspace = try Workspace(["main.tf": Self.configuration])
        let graph = workspace.read().graph
        let storage = try #require(graph.all(StorageAccount.self).first)
        #expect(graph.source(of: storage.id, property: "properties.publicNetworkAccess")?.line == 7)
        #expect(graph.source(of: storage.id, property: "properties.networkAcls.defaultAction")?.line == 9)
        // Unset properties fall back to the resource's own line.
        #expect(graph.source(of: storage.id, property: "properties.allowSharedKeyAccess")?.line == 1)
        let nsg = try #require(graph.all(NetworkSecurityGroup.self).first)
        #expect(nsg.securityRules.map(\.name) == ["https", "ssh", "rdp"])
        // Inline block, dynamic block's content, then the separate rule resource.
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[0].properties.sourceAddressPrefix")?.line == 27)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[0].properties.access")?.line == 23)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[1].properties.sourceAddressPrefix")?.line == 40)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[1]")?.line == 32)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[2].properties.sourceAddressPrefix")?.line == 53)
        #expect(graph.source(of: nsg.id, property: "properties.securityRules[2].properties.destinationPortRange")?.line == 52)
        let vault = try #require(graph.all(KeyVault.self).first)
        #expect(graph.source(of: vault.id, property: "properties.publicNetworkAccess")?.line == 67)
    }

    @Test func findingsPointAtTheArgument() throws {
        let workspace = try Workspace(["main.tf": Self.configuration])
        let graph = workspace.read().graph
        let findings = Checker.run(graph, rules: [ServicePublicNetworkAccessRule.self, NetworkSecurityGroupManagementPortsRule.self])
        let storage = try #require(findings.first { $0.ruleID == "service_public_network_access" && $0.subject.name == "stdemo" })
        #expect(storage.location?.line == 7)
        #expect(storage.location?.file.hasSuffix("main.tf") == true)
        let vault = try #require(findings.first { $0.ruleID == "service_public_network_access" && $0.subject.name == "kv-demo" })
        #expect(vault.location?.line == 67)
        // The first rule open to the internet on a management port is the dynamic block's ssh rule.
        let ports = try #require(findings.first { $0.ruleID == "nsg_internet_management_ports" })
        #expect(ports.location?.line == 40)
    }
}

extension PrivateAMLTests {
    /// The defects the issue names, each found and located at the argument that causes it.
    @Test func realDefectsAreFoundAtTheirLines() throws {
        let graph = Self.read().graph
        let findings = Checker.run(graph, rules: [
            NetworkSecurityGroupComputeManagementSourceRule.self, RegistryImageBuildComputeRule.self, FirewallExfiltrationRule.self,
            NetworkSecurityGroupExfiltrationRule.self, ServiceWithoutPrivateEndpointRule.self, MonitorScopeWithoutPrivateEndpointRule.self,
        ])
        func located(_ rule: String, _ subject: String) -> PalisadeModel.SourceLocation? {
            findings.first { $0.ruleID == rule && $0.subject.name.hasPrefix(subject) }?.location
        }
        // Internet → TCP 44224: Azure sends compute management only from the AzureMachineLearning tag
        // (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet); the rule's source_address_prefix line.
        let inbound = try #require(located("nsg_compute_management_source", "nsg-shared"))
        #expect(inbound.file.hasSuffix("network/network_security_groups.tf") && inbound.line == 139)
        // A registry with public access disabled and no image build compute: the workspace's container_registry_id line.
        let registry = try #require(located("registry_image_build_compute", "ml-"))
        #expect(registry.file.hasSuffix("aml/aml.tf") && registry.line == 8)
        // Allow-list entries that reach every storage account: the firewall's *core.windows.net and Storage.WestEurope.
        let firewall = try #require(findings.first { $0.ruleID == "firewall_exfiltration_allowance" })
        #expect(firewall.message.contains("*core.windows.net") && firewall.message.contains("Storage.WestEurope"))
        let storage445 = try #require(located("nsg_exfiltration_allowance", "nsg-shared"))
        #expect(storage445.line == 152)
        // The AMPLS has no private endpoint, so Application Insights and Log Analytics stay on their public endpoints.
        #expect(located("service_without_private_endpoint", "appi-") != nil)
        #expect(located("service_without_private_endpoint", "log-") != nil)
        let scope = try #require(findings.first { $0.ruleID == "monitor_scope_without_private_endpoint" })
        #expect(scope.message.contains("ampls-test") && scope.message.contains("log-test") && scope.message.contains("appi-test"))
        // SARIF carries the argument's line.
        let sarif = SARIFLog(findings: findings, sourceRoot: Fixtures.root.path)
        let data = try JSONEncoder().encode(sarif)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"startLine\":139"))
        #expect(text.contains("network\\/network_security_groups.tf") || text.contains("network/network_security_groups.tf"))
    }

    @Test func everyAttributeOfTheConfigurationIsLocated() throws {
        let graph = Self.read().graph
        let nsg = try #require(graph.all(NetworkSecurityGroup.self).first { $0.name == "nsg-bastion-subnet" })
        // The eighth inline rule's destination_address_prefix.
        let location = try #require(graph.source(of: nsg.id, property: "properties.securityRules[7].properties.destinationAddressPrefix"))
        #expect(location.file.hasSuffix("network/network_security_groups.tf"))
        #expect(location.line != graph[nsg.id]?.source?.line)
        let registry = try #require(graph.all(ContainerRegistry.self).first)
        #expect(graph.source(of: registry.id, property: "properties.publicNetworkAccess")?.line == 8)
    }
}

extension PropertySourceTests {
    /// azurerm 3.x: `enforce_private_link_endpoint_network_policies = false` (policies enabled) on a subnet hosting
    /// no-public-IP compute is found at that argument's line.
    @Test func networkPolicyFindingPointsAtThe3xArgument() throws {
        let workspace = try Workspace(["main.tf": """
        terraform {
          required_providers {
            azurerm = { source = "hashicorp/azurerm", version = "3.9.0" }
          }
        }
        resource "azurerm_subnet" "training" {
          name                 = "training"
          resource_group_name  = "rg"
          virtual_network_name = "vnet"
          address_prefixes     = ["10.0.0.0/24"]
          enforce_private_link_endpoint_network_policies = false
        }
        resource "azurerm_virtual_network" "vnet" {
          name                = "vnet"
          resource_group_name = "rg"
          location            = "westeurope"
          address_space       = ["10.0.0.0/16"]
        }
        resource "azurerm_machine_learning_workspace" "ws" {
          name                    = "ws"
          location                = "westeurope"
          resource_group_name     = "rg"
          application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
          key_vault_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
          storage_account_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
          identity { type = "SystemAssigned" }
        }
        resource "azurerm_machine_learning_compute_cluster" "cpu" {
          name                          = "cpu"
          location                      = "westeurope"
          machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
          vm_priority                   = "Dedicated"
          vm_size                       = "STANDARD_DS2_V2"
          subnet_resource_id            = azurerm_subnet.training.id
          node_public_ip_enabled        = false
          scale_settings {
            min_node_count                       = 0
            max_node_count                       = 1
            scale_down_nodes_after_idle_duration = "PT30S"
          }
          identity { type = "SystemAssigned" }
        }
        """])
        let graph = workspace.read().graph
        let findings = Checker.run(graph, rules: [ComputeSubnetNetworkPoliciesRule.self])
        let finding = try #require(findings.first)
        #expect(finding.location?.line == 11)
    }
}
