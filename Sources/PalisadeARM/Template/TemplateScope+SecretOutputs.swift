import PalisadeModel

/// A template output whose value is built from a secret (see `DeploymentOutput`), found before its value is evaluated.
public struct SecretOutput: Sendable, Hashable {
    /// The output's name.
    public var name: String
    /// The nested deployments that contain it, outermost first (empty for the root template).
    public var deploymentPath: [String]
    /// The ID of the deployment that declares it.
    public var deploymentID: String
    /// What the value is built from, in plain words, sorted.
    public var secretSources: [String]
    /// Whether the output is declared `securestring`/`secureObject`.
    public var isSecure: Bool
    /// Where the output is declared.
    public var source: SourceLocation
}

extension TemplateScope {
    /// Records `outputs.<name>` when its value uses a `list*()` function (`listKeys`, `listConnectionStrings`,
    /// `listSecrets`, …) or a secure parameter, directly or through variables. Outputs are stored in the deployment
    /// history, so they must not carry secrets:
    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#outputs and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets
    func noteSecretOutput(name: String, declaration: JSONNode, path jsonPath: String) {
        var sources: Set<String> = []
        var visitedVariables: Set<String> = []
        var steps = 0
        func scanNode(_ node: JSONNode?) {
            guard let node, steps < 10_000 else { return }
            steps += 1
            switch node.kind {
            case .string(let text):
                guard text.hasPrefix("["), !text.hasPrefix("[["),
                      case .expression(let e)? = try? ExpressionParser.classify(text) else { return }
                scanExpression(e)
            case .array(let items): items.forEach(scanNode)
            case .object(let members):
                for m in members {
                    if m.key.hasPrefix("["), case .expression(let e)? = try? ExpressionParser.classify(m.key) { scanExpression(e) }
                    scanNode(m.value)
                }
            default: break
            }
        }
        func scanExpression(_ e: Expression) {
            steps += 1
            guard steps < 10_000 else { return }
            switch e {
            case .call(let fn, let args, _):
                let lower = fn.lowercased()
                if lower.hasPrefix("list"), !lower.contains(".") {
                    sources.insert("\(fn)()")
                } else if lower == "parameters", case .string(let p)? = args.first, isSecureParameter(p) {
                    sources.insert("the secure parameter '\(p)'")
                } else if lower == "variables", case .string(let v)? = args.first, visitedVariables.insert(v.lowercased()).inserted {
                    scanNode(variableNodes[v.lowercased()])
                }
                args.forEach(scanExpression)
            case .property(let base, _): scanExpression(base)
            case .index(let base, let index): scanExpression(base); scanExpression(index)
            default: break
            }
        }
        scanNode(declaration["value"])
        scanNode(declaration["copy"])
        guard !sources.isEmpty else { return }
        let type = (declaration["type"]?.stringValue ?? "").lowercased()
        let deploymentID = "\(deployment.resourceGroupID)/providers/Microsoft.Resources/deployments/\(deployment.deploymentName)"
        sink.secretOutputs.append(SecretOutput(name: name, deploymentPath: path, deploymentID: deploymentID,
                                               secretSources: sources.sorted(),
                                               isSecure: type == "securestring" || type == "secureobject",
                                               source: location(declaration, jsonPath)))
    }

    /// Whether `name` is a secure parameter of this template (or, for a nested template evaluated in the outer
    /// scope, of the template whose parameters it reads).
    private func isSecureParameter(_ name: String) -> Bool {
        var scope: TemplateScope? = self
        var hops = 0
        while let s = scope, hops < 64 {
            if s.parameterNodes[name.lowercased()] != nil { return s.secureParameters.contains(name.lowercased()) }
            scope = s.expressionParent
            hops += 1
        }
        return false
    }
}
