import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// Real configurations from public repositories (the AVM Azure Machine Learning workspace module's examples,
/// hashicorp/terraform-provider-azurerm's examples), read from a cache that `scripts/real-terraform-cache.sh` builds
/// outside the repository. Without the cache the tests record nothing and pass.
@Suite struct RealConfigurationTests {
    /// `$PALISADE_REAL_TERRAFORM`, else `/tmp/palisade-real-terraform`, when it exists.
    static let cache: String? = {
        let path = ProcessInfo.processInfo.environment["PALISADE_REAL_TERRAFORM"] ?? "/tmp/palisade-real-terraform"
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }()

    /// Root modules: directories under `examples/` with a `main.tf`, except the examples' own child modules.
    static func roots(_ repository: String) -> [String] {
        guard let cache else { return [] }
        let base = cache + "/" + repository
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var roots: [String] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix("/main.tf"), relative.hasPrefix("examples/") else { continue }
            let directory = String(relative.dropLast("/main.tf".count))
            if directory.contains("/modules/") { continue }
            roots.append(base + "/" + directory)
        }
        return roots.sorted()
    }

    /// Stand-ins for required variables, the way a user would answer `terraform plan`'s prompts.
    static func placeholders(_ directory: String) -> [(name: String, value: String)] {
        var diagnostics = Diagnostics()
        guard let config = ModuleConfig.load(directory: directory, diagnostics: &diagnostics) else { return [] }
        return config.variables.keys.sorted().compactMap { name in
            guard let block = config.variables[name], block.body.attribute("default") == nil else { return nil }
            let type = block.body.attribute("type")?.expression.bareWord
            switch (name, type) {
            case ("location", _), (_, _) where name.hasSuffix("_location"): return (name, "westeurope")
            case (_, "number"): return (name, "1")
            case (_, "bool"): return (name, "false")
            default: return (name, name.contains("password") ? "Placeholder-Passw0rd!" : "demo")
            }
        }
    }

    /// Configurations that read files of the machine they run on (`file("~/.ssh/id_rsa.pub")`): `terraform plan`
    /// fails on them too when the file is absent.
    static let machineDependent = ["linux/azure-disk-encryption", "linux/basic-ssh"]

    static func read(_ directory: String) -> TerraformReadResult {
        var options = TerraformOptions()
        options.environment = [:]
        options.variables = placeholders(directory)
        return TerraformReader.read(directory, options: options)
    }

    @Test func avmMachineLearningWorkspaceExamples() throws {
        let roots = Self.roots("avm-ml-workspace")
        for root in roots {
            let result = Self.read(root)
            #expect(!result.diagnostics.hasErrors, "\(root): \(result.diagnostics.items.filter { $0.severity == .error })")
            let unknownFunctions = result.diagnostics.items.filter { $0.message.contains("function") }
            #expect(unknownFunctions.isEmpty, "\(root): \(unknownFunctions)")
            // Every example deploys a workspace (hub or project) through the module at the repository root.
            #expect(!result.graph.all(MachineLearningWorkspace.self).isEmpty, "\(root)")
            for resource in result.graph.resources {
                #expect(resource.source?.line != nil, "\(root): \(resource.id)")
            }
        }
        if Self.cache != nil, FileManager.default.fileExists(atPath: Self.cache! + "/avm-ml-workspace") {
            #expect(roots.count >= 8)
        }
    }

    @Test func azurermProviderExamples() throws {
        let roots = Self.roots("azurerm-examples")
        for root in roots where !Self.machineDependent.contains(where: root.hasSuffix) {
            let result = Self.read(root)
            #expect(!result.diagnostics.hasErrors, "\(root): \(result.diagnostics.items.filter { $0.severity == .error })")
            for resource in result.graph.resources {
                #expect(resource.source?.line != nil, "\(root): \(resource.id)")
            }
        }
        if Self.cache != nil, FileManager.default.fileExists(atPath: Self.cache! + "/azurerm-examples") {
            #expect(roots.count >= 20)
        }
    }

    /// Platform types the reader maps: none of them may be left opaque in a real configuration.
    static let platformTypes = [
        "azurerm_lb", "azurerm_local_network_gateway", "azurerm_virtual_network_gateway_connection", "azurerm_private_dns_resolver",
        "azurerm_virtual_wan", "azurerm_virtual_hub", "azurerm_network_manager",
    ]

    /// Documented examples `terraform validate` rejects too: the lb_backend_address_pool_address page refers to
    /// `azurerm_lb.backend-lb-R1`, which it does not declare (the reader reports it as an error, correctly).
    static let invalidDocumentedExamples = ["/examples/lb_backend_address_pool_address"]

    /// The "Example Usage" configuration of each platform type's azurerm documentation page, and the provider's
    /// examples with load balancers and a virtual hub: they read without error, every resource located, and no
    /// platform type is left opaque.
    @Test func azurermPlatformExamples() throws {
        let roots = Self.roots("azurerm-docs") + Self.roots("azurerm-platform-examples")
        for root in roots where !Self.invalidDocumentedExamples.contains(where: root.hasSuffix) {
            let result = Self.read(root)
            #expect(!result.diagnostics.hasErrors, "\(root): \(result.diagnostics.items.filter { $0.severity == .error })")
            let opaque = result.assumptions.filter { text in text.contains("is not modelled") && Self.platformTypes.contains { text.hasPrefix($0) } }
            #expect(opaque.isEmpty, "\(root): \(opaque)")
            for resource in result.graph.resources {
                #expect(resource.source?.line != nil, "\(root): \(resource.id)")
            }
        }
        if Self.cache != nil, FileManager.default.fileExists(atPath: Self.cache! + "/azurerm-docs") {
            #expect(roots.count >= 30)
        }
    }

    /// The documented examples read as the pages describe them.
    @Test func azurermPlatformDocumentedExamples() throws {
        func graph(_ page: String) -> ResourceGraph? {
            Self.roots("azurerm-docs").first { $0.hasSuffix("/examples/" + page) }.map { Self.read($0).graph }
        }
        // network_manager_deployment: the hub-and-spoke configuration it commits is in force.
        if let graph = graph("network_manager_deployment") {
            let manager = try #require(graph.all(NetworkManager.self).first)
            #expect(manager.connectivityConfigurations.map(\.name) == ["example-connectivity-conf"])
            #expect(manager.connectivityConfigurations.first?.hubs.map(\.name) == ["example-net"])
        }
        // network_manager_admin_rule: nothing commits its configuration, so the rule is not in force.
        if let root = Self.roots("azurerm-docs").first(where: { $0.hasSuffix("/examples/network_manager_admin_rule") }) {
            let result = Self.read(root)
            #expect(result.graph.all(NetworkManager.self).first?.securityAdminConfigurations.isEmpty == true)
            #expect(result.assumptions.contains { $0.contains("example-admin-conf is not committed") })
        }
        // virtual_hub_routing_intent: internet traffic to the hub's firewall.
        if let graph = graph("virtual_hub_routing_intent") {
            let hub = try #require(graph.all(VirtualHub.self).first)
            let firewall = try #require(graph.all(AzureFirewall.self).first)
            #expect(hub.azureFirewall == firewall.id && hub.routingIntent?.nextHop(for: .internet) == firewall.id)
        }
        // lb_rule: one rule on the public frontend.
        if let graph = graph("lb_rule") {
            let lb = try #require(graph.all(LoadBalancer.self).first)
            #expect(lb.rules.map(\.frontend) == ["PublicIPAddress"] && lb.rules.first?.frontendPort == 3389)
        }
        // private_dns_resolver_forwarding_rule: contoso.com. to two servers.
        if let graph = graph("private_dns_resolver_forwarding_rule") {
            let ruleset = try #require(graph.all(DnsForwardingRuleset.self).first)
            #expect(ruleset.rules.first?.domainName == "onprem.local.")
            #expect(ruleset.rules.first?.targetDnsServers.map(\.ipAddress) == [IPv4Address("10.10.0.1")!])
        }
        // virtual_network_gateway_connection: a site-to-site connection to the local network gateway.
        if let graph = graph("virtual_network_gateway_connection") {
            let connection = try #require(graph.all(VirtualNetworkGatewayConnection.self).first)
            #expect(connection.connectionType == "IPsec" && connection.localNetworkGateway?.name == "onpremise")
        }
    }

    /// hashicorp/terraform-provider-azurerm examples/private-endpoint/private-link-scope: an AMPLS with a private
    /// endpoint whose zone group takes the five zones of a `for_each` (`[for _, v in azurerm_private_dns_zone.example : v.id]`).
    @Test func privateLinkScopeExample() throws {
        guard let root = Self.roots("azurerm-examples").first(where: { $0.hasSuffix("private-endpoint/private-link-scope") }) else { return }
        let graph = Self.read(root).graph
        let scope = try #require(graph.all(MonitorPrivateLinkScope.self).first)
        let endpoint = try #require(graph.all(PrivateEndpoint.self).first { $0.target == scope.id })
        #expect(endpoint.groupIDs == ["azuremonitor"])
        #expect(endpoint.privateDnsZoneGroup?.zones.map(\.name).sorted() == [
            "privatelink.agentsvc.azure-automation.net", "privatelink.blob.core.windows.net", "privatelink.monitor.azure.com",
            "privatelink.ods.opinsights.azure.com", "privatelink.oms.opinsights.azure.com",
        ])
        #expect(graph.all(Subnet.self).first?.privateLinkServiceNetworkPolicies == .disabled)
    }
}

/// Gaps the real configurations revealed, each on a small configuration.
@Suite struct RealConfigurationGapTests {
    /// `data "azurerm_role_definition"` naming a built-in role: its GUID and tenant-level ID, as the AVM module's
    /// examples use it (`"/subscriptions/${sub}${data.azurerm_role_definition.contributor.id}"`).
    @Test func builtInRoleDefinitionDataSource() throws {
        let workspace = try Workspace(["main.tf": """
        data "azurerm_client_config" "current" {}
        data "azurerm_role_definition" "contributor" { name = "Contributor" }
        resource "azurerm_resource_group" "rg" {
          name     = "rg"
          location = "westeurope"
        }
        resource "azurerm_user_assigned_identity" "id" {
          name                = "id"
          location            = "westeurope"
          resource_group_name = azurerm_resource_group.rg.name
        }
        resource "azurerm_role_assignment" "ra" {
          scope              = azurerm_resource_group.rg.id
          role_definition_id = "/subscriptions/${data.azurerm_client_config.current.subscription_id}${data.azurerm_role_definition.contributor.id}"
          principal_id       = azurerm_user_assigned_identity.id.principal_id
        }
        """])
        let result = workspace.read()
        #expect(!result.diagnostics.items.contains { $0.message.contains("role_definition") }, "\(result.diagnostics.items)")
        let assignment = try #require(result.graph.all(RoleAssignment.self).first)
        #expect(assignment.roleDefinitionID == "b24988ac-6180-42a0-ab88-20f7382dd24c")
    }

    /// Private endpoints to types the model keeps opaque (Application Gateway, PostgreSQL flexible server, …) still
    /// link: the target's ID is built from its name (hashicorp/terraform-provider-azurerm examples/private-endpoint).
    @Test func privateEndpointToAnOpaqueTarget() throws {
        let workspace = try Workspace(["main.tf": """
        resource "azurerm_postgresql_flexible_server" "pg" {
          name                = "pg-demo"
          resource_group_name = "rg"
          location            = "westeurope"
        }
        resource "azurerm_private_endpoint" "pe" {
          name                = "pe-pg"
          resource_group_name = "rg"
          location            = "westeurope"
          subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
          private_service_connection {
            name                           = "psc"
            private_connection_resource_id = azurerm_postgresql_flexible_server.pg.id
            subresource_names              = ["postgresqlServer"]
            is_manual_connection           = false
          }
        }
        """])
        let result = workspace.read()
        let endpoint = try #require(result.graph.all(PrivateEndpoint.self).first)
        #expect(endpoint.target?.rawValue.hasSuffix("/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-demo") == true)
        #expect(result.graph[endpoint.target!] != nil)
    }
}

extension RealConfigurationGapTests {
    /// microsoft/AzureTRE's Azure ML workspace service points a private endpoint and role assignments at
    /// `azapi_resource.aml_workspace.output.id` (response_export_values = ["id", …]): the workspace's own ID.
    @Test func azapiOutputIDIsTheResourceID() throws {
        let workspace = try Workspace(["main.tf": """
        resource "azapi_resource" "ws" {
          type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
          name      = "ml-demo"
          parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
          location  = "westeurope"
          body = { properties = { publicNetworkAccess = "Disabled" } }
          response_export_values = ["id", "name", "identity.principalId"]
        }
        resource "azurerm_private_endpoint" "pe" {
          name                = "pe-ml"
          resource_group_name = "rg"
          location            = "westeurope"
          subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
          private_service_connection {
            name                           = "psc"
            private_connection_resource_id = azapi_resource.ws.output.id
            subresource_names              = ["amlworkspace"]
            is_manual_connection           = false
          }
        }
        output "principal" { value = azapi_resource.ws.output.identity.principalId }
        """])
        let result = workspace.read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let ml = try #require(result.graph.all(MachineLearningWorkspace.self).first)
        #expect(result.graph.all(PrivateEndpoint.self).first?.target == ml.id)
        #expect(!result.diagnostics.items.contains { $0.message.contains("output") }, "\(result.diagnostics.items)")
    }

    @Test func azureTREMachineLearningServiceReads() throws {
        guard let cache = RealConfigurationTests.cache else { return }
        let root = cache + "/azuretre-azureml/templates/workspace_services/azureml/terraform"
        guard FileManager.default.fileExists(atPath: root + "/main.tf") else { return }
        var options = TerraformOptions()
        options.environment = [:]
        // The values the TRE API passes: GUIDs for the workspace and service, the workspace's address space.
        options.variables = RealConfigurationTests.placeholders(root) + [
            ("workspace_id", "1a2b3c4d-0000-0000-0000-00000000abcd"), ("tre_resource_id", "9f8e7d6c-0000-0000-0000-00000000dcba"),
            ("tre_id", "mytre"), ("address_space", "10.2.1.0/24"), ("arm_environment", "public"),
        ]
        let result = TerraformReader.read(root, options: options)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let ml = try #require(result.graph.all(MachineLearningWorkspace.self).first)
        #expect(ml.name == "ml-mytre-ws-abcd-svc-dcba")
        // Its private endpoint and role assignments point at the workspace through azapi's output.id.
        #expect(result.graph.all(PrivateEndpoint.self).contains { $0.target == ml.id })
        #expect(result.graph.all(RoleAssignment.self).contains { $0.scope == ml.id })
        // data "azurerm_role_definition" names built-in roles: every assignment has its role's GUID.
        #expect(result.graph.all(RoleAssignment.self).allSatisfy { $0.roleDefinitionID.count == 36 })
        #expect(result.graph.all(RoleAssignment.self).contains { $0.roleDefinitionID == "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815" })
        for resource in result.graph.resources {
            #expect(resource.source?.line != nil, "\(resource.id)")
        }
    }
}
