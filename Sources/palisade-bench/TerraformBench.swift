import Foundation
import PalisadeModel
import PalisadeTerraform

/// Reading Terraform: a generated root module calling one local module in 200 instances (`for_each`), each creating 10
/// resources (2,000 in all) with locals, `cidrsubnet`, `for` expressions, `for_each` and a dynamic block. Run with
///   swift run -c release palisade-bench --terraform [--instances N]
func runTerraformBenchmark() {
    let instances = Int(argument("--instances", default: "200")) ?? 200
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-tf-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("spoke"), withIntermediateDirectories: true)
        let keys = (0..<instances).map { "\"s\($0)\" = \($0)" }.joined(separator: ", ")
        try """
        locals {
          spokes = { \(keys) }
        }
        module "spoke" {
          source   = "./spoke"
          for_each = local.spokes
          name     = each.key
          index    = each.value
        }
        """.write(to: directory.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        try """
        variable "name" { type = string }
        variable "index" { type = number }
        locals {
          space   = cidrsubnet("10.0.0.0/8", 8, var.index)
          subnets = { for i, n in ["app", "data", "pe", "mgmt"] : n => cidrsubnet(local.space, 8, i) }
          rules   = [for p in range(10) : { name = "allow-${p}", priority = 100 + p, port = 8000 + p }]
        }
        resource "azurerm_resource_group" "rg" {
          name     = "rg-${var.name}"
          location = "westeurope"
        }
        resource "azurerm_virtual_network" "vnet" {
          name                = "vnet-${var.name}"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
          address_space       = [local.space]
        }
        resource "azurerm_subnet" "s" {
          for_each             = local.subnets
          name                 = each.key
          resource_group_name  = azurerm_resource_group.rg.name
          virtual_network_name = azurerm_virtual_network.vnet.name
          address_prefixes     = [each.value]
        }
        resource "azurerm_network_security_group" "nsg" {
          name                = "nsg-${var.name}"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
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
              source_address_prefix      = "VirtualNetwork"
              destination_address_prefix = "*"
            }
          }
        }
        resource "azurerm_route_table" "rt" {
          name                = "rt-${var.name}"
          resource_group_name = azurerm_resource_group.rg.name
          location            = azurerm_resource_group.rg.location
          route {
            name                   = "default"
            address_prefix         = "0.0.0.0/0"
            next_hop_type          = "VirtualAppliance"
            next_hop_in_ip_address = "10.255.0.4"
          }
        }
        resource "azurerm_subnet_network_security_group_association" "a" {
          for_each                  = toset(["app", "data"])
          subnet_id                 = azurerm_subnet.s[each.key].id
          network_security_group_id = azurerm_network_security_group.nsg.id
        }
        """.write(to: directory.appendingPathComponent("spoke/main.tf"), atomically: true, encoding: .utf8)
    } catch {
        print("palisade-bench: cannot write the generated configuration: \(error)")
        exit(3)
    }
    var options = TerraformOptions()
    options.environment = [:]
    var result: TerraformReadResult?
    let cpu = cpuSeconds()
    let time = seconds { result = TerraformReader.read(directory.path, options: options) }
    let used = cpuSeconds() - cpu
    guard let result, !result.diagnostics.hasErrors else {
        print("palisade-bench: the generated configuration did not read: \(result?.diagnostics.errors.map(\.description) ?? [])")
        exit(3)
    }
    print("""
    palisade-bench --terraform: \(result.addresses.count) resources in \(instances) module instances, \(result.graph.count) graph resources
      read configuration  \(String(format: "%8.3f", time)) s   (\(String(format: "%.3f", used)) s CPU)
      peak memory         \(String(format: "%8.1f", peakMemoryMiB())) MiB
    """)
}
