import Foundation
import PalisadeModel
import PalisadeRender
import PalisadeSpec
import Testing

/// Golden files, determinism, secrets and structural checks for the Terraform, ARM and Bicep renderers.
@Suite struct RenderTests {
    @Test(arguments: RenderTarget.allCases)
    func defaultMatchesGoldenFiles(_ target: RenderTarget) throws {
        let result = Renderer.render(try Fixtures.defaultGraph(), target: target)
        #expect(result.warnings.isEmpty)
        for file in result.files {
            try assertSnapshot(file.contents, path: "default/\(target.rawValue)/\(file.path)")
        }
    }

    @Test func terraformHasOneFilePerConcern() throws {
        let paths = Renderer.render(try Fixtures.defaultGraph(), target: .terraform).files.map(\.path)
        #expect(paths == ["access.tf", "data.tf", "dns.tf", "identity.tf", "monitoring.tf", "network.tf", "outputs.tf",
                          "private-endpoints.tf", "providers.tf", "security.tf", "variables.tf", "workspace.tf"])
    }

    @Test(arguments: RenderTarget.allCases)
    func outputIsDeterministic(_ target: RenderTarget) throws {
        let graph = try Fixtures.defaultGraph()
        let first = Renderer.render(graph, target: target)
        let rebuilt = ResourceGraph(graph.resources.reversed())
        #expect(Renderer.render(rebuilt, target: target) == first)
        #expect(Renderer.render(graph, target: target) == first)
    }

    @Test(arguments: Fixtures.exampleNames)
    func examplesRenderEveryTargetWithoutWarnings(_ name: String) throws {
        let graph = try Fixtures.example(name)
        for target in RenderTarget.allCases {
            let result = Renderer.render(graph, target: target)
            // The one warning an example may carry: ARM and Bicep write a reused existing subnet whole.
            let reused = result.warnings.filter { $0.contains("existing subnet") && $0.contains("is written whole") }
            #expect(target == .terraform ? result.warnings.isEmpty : reused.count == result.warnings.count, "\(name) \(target): \(result.warnings)")
            #expect(!result.files.isEmpty)
            #expect(result.files.allSatisfy { $0.contents.hasSuffix("\n") && !$0.contents.contains("\t") })
        }
    }

    @Test func terraformUsesVariablesAndReferences() throws {
        let files = Dictionary(uniqueKeysWithValues: Renderer.render(try Fixtures.defaultGraph(), target: .terraform)
            .files.map { ($0.path, $0.contents) })
        let variables = try #require(files["variables.tf"])
        for name in ["variable \"name\"", "variable \"location\"", "variable \"address_space\""] {
            #expect(variables.contains(name))
        }
        let providers = try #require(files["providers.tf"])
        #expect(providers.contains("source  = \"hashicorp/azurerm\""))
        #expect(providers.contains("version = \"~> 4.77\""))
        let all = files.values.joined()
        #expect(!all.contains("/subscriptions/00000000"), "IDs must be references, not hard-coded")
        #expect(all.contains("azurerm_firewall_policy_rule_collection_group"))
        #expect(try #require(files["private-endpoints.tf"]).contains("private_dns_zone_group {"))
        #expect(try #require(files["network.tf"]).contains("cidrsubnet(var.address_space,"))
    }

    @Test func jumpboxPasswordIsGeneratedStoredAndNeverOutput() throws {
        let files = Dictionary(uniqueKeysWithValues: Renderer.render(try Fixtures.defaultGraph(), target: .terraform)
            .files.map { ($0.path, $0.contents) })
        let access = try #require(files["access.tf"])
        #expect(access.contains("resource \"random_password\""))
        #expect(access.contains("value       = random_password.jumpbox_admin_password.result"))
        #expect(access.contains("admin_password        = random_password.jumpbox_admin_password.result"))
        let outputs = try #require(files["outputs.tf"])
        #expect(!outputs.contains("random_password"))
        #expect(!outputs.contains(".value"))
    }

    @Test func armTakesSecretsAsSecureParametersWithoutDefaults() throws {
        let files = Renderer.render(try Fixtures.defaultGraph(), target: .arm).files
        let template = try #require(files.first { $0.path == "azuredeploy.json" })
        let parameters = try #require(files.first { $0.path == "azuredeploy.parameters.json" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(template.contents.utf8)) as? [String: Any])
        let declared = try #require(json["parameters"] as? [String: [String: Any]])
        let password = try #require(declared["adminPassword"])
        #expect(password["type"] as? String == "securestring")
        #expect(password["defaultValue"] == nil)
        #expect(!parameters.contents.contains("adminPassword"))
        #expect(!template.contents.lowercased().contains("\"password\":"))
    }

    @Test(arguments: ["default"] + Fixtures.exampleNames)
    func armDependenciesExistAndHaveNoCycle(_ name: String) throws {
        let graph = name == "default" ? try Fixtures.defaultGraph() : try Fixtures.example(name)
        let template = try #require(Renderer.render(graph, target: .arm).files.first { $0.path == "azuredeploy.json" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(template.contents.utf8)) as? [String: Any])
        let resources = try #require(json["resources"] as? [[String: Any]])
        let expressions = Set(resources.compactMap(dependencyExpression))
        var edges: [String: [String]] = [:]
        for resource in resources {
            let dependencies = resource["dependsOn"] as? [String] ?? []
            for dependency in dependencies {
                let known = expressions.contains(dependency)
                #expect(known, "\(name): \(dependency) is not a resource of the template")
            }
            if let node = dependencyExpression(resource) { edges[node, default: []] += dependencies }
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func acyclic(_ node: String) -> Bool {
            if state[node] == 1 { return false }
            if state[node] == 2 { return true }
            state[node] = 1
            for next in edges[node] ?? [] where !acyclic(next) { return false }
            state[node] = 2
            return true
        }
        for node in edges.keys.sorted() { #expect(acyclic(node), "\(name): dependency cycle through \(node)") }
    }

    /// The `[resourceId(...)]` text other resources use to depend on this one.
    private func dependencyExpression(_ resource: [String: Any]) -> String? {
        if let scope = resource["scope"] as? String, let type = resource["type"] as? String, let name = resource["name"] as? String {
            // Bicep's relative scope `format('NS/type/{0}', x)` as the extensionResourceId() a dependency writes.
            let inner = "'" + scope.dropFirst("[format('".count).dropLast(2)
            let parts = splitArguments(String(inner))
            let path = parts[0].replacingOccurrences(of: "'", with: "")
            let segments = path.split(separator: "/")
            guard segments.count == 3, parts.count == 2 else { return nil }
            let nameExpression = name.hasPrefix("[") ? String(name.dropFirst().dropLast()) : "'\(name)'"
            return "[extensionResourceId(resourceId('\(segments[0])/\(segments[1])', \(parts[1])), '\(type)', \(nameExpression))]"
        }
        guard resource["scope"] == nil, let type = resource["type"] as? String, var name = resource["name"] as? String else { return nil }
        // A child with a literal name (of an existing VNet): 'parent/child' is resourceId(type, 'parent', 'child').
        if !name.hasPrefix("["), name.contains("/") {
            return "[resourceId('\(type)', \(name.split(separator: "/").map { "'\($0)'" }.joined(separator: ", ")))]"
        }
        name = name.hasPrefix("[") ? String(name.dropFirst().dropLast()) : "'\(name)'"
        let segments = type.split(separator: "/").count - 1
        if segments == 1 { return "[resourceId('\(type)', \(name))]" }
        // Child: name is format('{0}/child', parent) or format('{0}/{1}', parent, child).
        guard name.hasPrefix("format('{0}/") else { return nil }
        let inner = name.dropFirst("format(".count).dropLast()
        let parts = splitArguments(String(inner))
        guard parts.count >= 2 else { return nil }
        let pattern = parts[0].dropFirst().dropLast()  // {0}/child or {0}/{1}
        let childText = pattern.split(separator: "/", maxSplits: 1).last.map(String.init) ?? ""
        let child: String
        if childText == "{1}", parts.count >= 3 {
            child = parts[2]
        } else if childText.contains("{1}"), parts.count >= 3 {
            child = "format('\(childText.replacingOccurrences(of: "{1}", with: "{0}"))', \(parts[2]))"
        } else {
            child = "'\(childText)'"
        }
        return "[resourceId('\(type)', \(parts[1]), \(child))]"
    }

    private func splitArguments(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0, quoted = false
        for character in text {
            if character == "'" { quoted.toggle() }
            if !quoted, character == "(" { depth += 1 }
            if !quoted, character == ")" { depth -= 1 }
            if !quoted, depth == 0, character == "," {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    @Test func bicepDeclaresTheSameParametersAndResourcesAsARM() throws {
        let graph = try Fixtures.example("hub")
        let bicep = try #require(Renderer.render(graph, target: .bicep).files.first).contents
        let arm = try #require(Renderer.render(graph, target: .arm).files.first { $0.path == "azuredeploy.json" }).contents
        let json = try #require(try JSONSerialization.jsonObject(with: Data(arm.utf8)) as? [String: Any])
        let parameters = try #require(json["parameters"] as? [String: Any])
        for name in parameters.keys { #expect(bicep.contains("param \(name) "), "\(name)") }
        #expect(bicep.contains("@secure()\nparam adminPassword string\n"))
        let resources = try #require(json["resources"] as? [[String: Any]])
        let declared = bicep.split(separator: "\n").filter { $0.hasPrefix("resource ") }.count
        #expect(declared == resources.count)
        for resource in resources {
            let type = resource["type"] as! String, api = resource["apiVersion"] as! String
            #expect(bicep.contains("'\(type)@\(api)'"))
        }
    }

    @Test func hubGatewayTakesTheRootCertificateAsAnInput() throws {
        let graph = try Fixtures.example("hub")
        let terraform = Renderer.render(graph, target: .terraform).files.map(\.contents).joined()
        #expect(terraform.contains("public_cert_data = var.vpn_root_certificate_p2srootcert"))
        let arm = try #require(Renderer.render(graph, target: .arm).files.first { $0.path == "azuredeploy.json" }).contents
        #expect(arm.contains("\"publicCertData\": \"[parameters('vpnRootCertificateP2srootcert')]\""))
    }

    @Test func managedNetworkRuleAzurermCannotExpressUsesAzapi() throws {
        let files = Renderer.render(try Fixtures.example("managed-vnet"), target: .terraform).files
        let workspace = try #require(files.first { $0.path == "workspace.tf" }).contents
        #expect(workspace.contains("resource \"azapi_resource\" \"allowopenai\""))
        #expect(workspace.contains("subresourceTarget = \"account\""))
        let providers = try #require(files.first { $0.path == "providers.tf" }).contents
        #expect(providers.contains("azure/azapi"))
    }
}

/// Every suppressed checkov check is justified in docs/checkov-suppressions.md.
@Suite struct SuppressionDocumentationTests {
    @Test func everySuppressedCheckIsDocumented() throws {
        let document = try String(contentsOf: Fixtures.repository.appendingPathComponent("docs/checkov-suppressions.md"), encoding: .utf8)
        var ids: Set<String> = []
        for name in ["default"] + Fixtures.exampleNames {
            let graph = name == "default" ? try Fixtures.defaultGraph() : try Fixtures.example(name)
            for target in [RenderTarget.terraform, .arm] {
                for file in Renderer.render(graph, target: target).files {
                    for line in file.contents.split(separator: "\n") {
                        if let range = line.range(of: #"CKV2?_AZURE_\d+"#, options: .regularExpression), line.contains("checkov") || line.contains(":") {
                            ids.insert(String(line[range]))
                        }
                    }
                }
            }
        }
        #expect(!ids.isEmpty)
        for id in ids.sorted() { #expect(document.contains(id), "\(id) is suppressed but not listed in docs/checkov-suppressions.md") }
    }
}

/// Bicep infers dependencies from symbolic references; together with `parent`, `scope` and `dependsOn` they must
/// form no cycle (Bicep rejects cycles at compile time).
@Suite struct BicepDependencyTests {
    @Test(arguments: ["default"] + Fixtures.exampleNames)
    func bicepReferencesHaveNoCycle(_ name: String) throws {
        let graph = name == "default" ? try Fixtures.defaultGraph() : try Fixtures.example(name)
        let text = try #require(Renderer.render(graph, target: .bicep).files.first).contents
        var bodies: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("resource ") {
                current = String(line.split(separator: " ")[1])
                bodies[current!] = ""
            } else if line == "}" {
                current = nil
            } else if let symbol = current {
                bodies[symbol]! += line + "\n"
            }
        }
        #expect(!bodies.isEmpty)
        let symbols = Set(bodies.keys)
        var edges: [String: Set<String>] = [:]
        for (symbol, body) in bodies {
            var targets: Set<String> = []
            for line in body.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("parent: ") || trimmed.hasPrefix("scope: ") {
                    targets.insert(String(trimmed.split(separator: " ")[1]))
                } else if symbols.contains(trimmed) {
                    targets.insert(trimmed)  // a dependsOn entry
                }
                for match in line.matches(of: /([A-Za-z_][A-Za-z0-9_]*)\.(id|properties|identity)\b/) {
                    targets.insert(String(match.output.1))
                }
            }
            edges[symbol] = targets.intersection(symbols).subtracting([symbol])
        }
        var state: [String: Int] = [:]
        var cycle: String?
        func visit(_ node: String) {
            if state[node] == 2 || cycle != nil { return }
            if state[node] == 1 { cycle = node; return }
            state[node] = 1
            for next in (edges[node] ?? []).sorted() { visit(next) }
            state[node] = 2
        }
        for symbol in symbols.sorted() { visit(symbol) }
        #expect(cycle == nil, "\(name): Bicep dependency cycle through \(cycle ?? "")")
    }
}
