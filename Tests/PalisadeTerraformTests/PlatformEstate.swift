import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeNetwork
import Testing
@testable import PalisadeTerraform

/// One small network written twice: as a Terraform configuration and as the ARM resources an export lists, so a
/// platform resource can be mapped from both and the engine's verdicts compared.
struct PlatformEstate {
    static let subscription = "00000000-0000-0000-0000-000000000000"
    static let network = "/subscriptions/\(subscription)/resourceGroups/rg/providers/Microsoft.Network"

    var terraform: [String] = ["""
    provider "azurerm" {
      features {}
    }

    resource "azurerm_resource_group" "rg" {
      name     = "rg"
      location = "westeurope"
    }
    """]
    var arm: [String] = []

    /// A virtual network.
    mutating func vnet(_ name: String, _ prefix: String) {
        terraform.append("""
        resource "azurerm_virtual_network" "\(name)" {
          name                = "\(name)"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name
          address_space       = ["\(prefix)"]
        }
        """)
        arm.append("""
        {"id": "\(Self.network)/virtualNetworks/\(name)", "type": "Microsoft.Network/virtualNetworks", "name": "\(name)", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["\(prefix)"]}}}
        """)
    }

    /// A subnet of `vnet`, optionally delegated.
    mutating func subnet(_ vnet: String, _ name: String, _ prefix: String, delegation: String? = nil) {
        let symbol = "\(vnet)_\(name)"
        let delegated = delegation.map { """

          delegation {
            name = "delegation"
            service_delegation {
              name    = "\($0)"
              actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
            }
          }
        """ } ?? ""
        terraform.append("""
        resource "azurerm_subnet" "\(symbol)" {
          name                 = "\(name)"
          resource_group_name  = azurerm_resource_group.rg.name
          virtual_network_name = azurerm_virtual_network.\(vnet).name
          address_prefixes     = ["\(prefix)"]\(delegated)
        }
        """)
        let armDelegation = delegation.map { ", \"delegations\": [{\"name\": \"delegation\", \"properties\": {\"serviceName\": \"\($0)\"}}]" } ?? ""
        arm.append("""
        {"id": "\(Self.network)/virtualNetworks/\(vnet)/subnets/\(name)", "type": "Microsoft.Network/virtualNetworks/subnets", "name": "\(name)",
         "properties": {"addressPrefix": "\(prefix)"\(armDelegation)}}
        """)
    }

    /// A VM's network interface with a static address in `vnet`/`subnet`.
    mutating func nic(_ name: String, _ vnet: String, _ subnet: String, _ address: String, armPools: [String] = []) {
        terraform.append("""
        resource "azurerm_network_interface" "\(name)" {
          name                = "\(name)"
          location            = azurerm_resource_group.rg.location
          resource_group_name = azurerm_resource_group.rg.name

          ip_configuration {
            name                          = "ipconfig1"
            subnet_id                     = azurerm_subnet.\(vnet)_\(subnet).id
            private_ip_address_allocation = "Static"
            private_ip_address            = "\(address)"
          }
        }
        """)
        let pools = armPools.isEmpty ? "" : ", \"loadBalancerBackendAddressPools\": [" + armPools.map { "{\"id\": \"\($0)\"}" }.joined(separator: ", ") + "]"
        arm.append("""
        {"id": "\(Self.network)/networkInterfaces/\(name)", "type": "Microsoft.Network/networkInterfaces", "name": "\(name)", "location": "westeurope",
         "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "\(address)",
           "subnet": {"id": "\(Self.network)/virtualNetworks/\(vnet)/subnets/\(subnet)"}\(pools)}}]}}
        """)
    }

    /// Reads the Terraform side.
    func readTerraform() throws -> TerraformReadResult {
        let result = try Workspace(["main.tf": terraform.joined(separator: "\n\n") + "\n"]).read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        return result
    }

    /// Imports the ARM side (an export: a JSON array of resources).
    func importARM() throws -> ResourceGraph {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-platform-\(UUID().uuidString).json").path
        try ("[\n" + arm.joined(separator: ",\n") + "\n]").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (graph, diagnostics) = ARMImporter.importFile(path)
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        return graph
    }

    /// The resources of one type, without where they were written, so both inputs compare equal.
    static func resources<T: AzureResource>(_ graph: ResourceGraph, _ type: T.Type) -> [T] {
        graph.all(T.self).map { resource in
            var copy = resource
            copy.source = nil
            copy.tags = [:]
            return copy
        }.sorted { $0.id < $1.id }
    }

    /// The engine's traces over both graphs, which must read the same, address by address.
    static func traces(terraform: ResourceGraph, arm: ResourceGraph, _ flows: [(String, TraceDestination, Int)]) -> [Trace] {
        let fromTerraform = NetworkModel.compile(terraform, options: NetworkOptions())
        let fromARM = NetworkModel.compile(arm, options: NetworkOptions())
        return flows.map { source, destination, port in
            let ours = fromTerraform.trace(from: .address(IPv4Address(source)!), to: destination, port: port)
            let theirs = fromARM.trace(from: .address(IPv4Address(source)!), to: destination, port: port)
            #expect(ours.text == theirs.text, "Terraform:\n\(ours.text)\nARM:\n\(theirs.text)")
            return ours
        }
    }
}

/// The line of the first line of `text` containing `needle`, 1-based.
func line(of needle: String, in text: String) -> Int? {
    text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
}
