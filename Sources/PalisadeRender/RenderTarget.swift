import PalisadeModel

/// The infrastructure-as-code formats Palisade renders.
public enum RenderTarget: String, Sendable, CaseIterable, Hashable {
    /// azurerm 4.x Terraform, one `.tf` file per concern.
    case terraform
    /// One ARM template (`azuredeploy.json`) and its parameters file.
    case arm
    /// `main.bicep`, equivalent to the ARM template.
    case bicep
}

/// One rendered file: a path relative to the output directory and its text.
public struct RenderedFile: Sendable, Hashable {
    /// Relative path, e.g. `network.tf`.
    public var path: String
    /// File contents (UTF-8, ending in a newline).
    public var contents: String

    /// Creates a file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// What a renderer produced: files sorted by path, and notes about resources it could not express.
public struct RenderResult: Sendable, Hashable {
    /// Rendered files, sorted by path.
    public var files: [RenderedFile]
    /// Resources that were skipped or approximated, one line each.
    public var warnings: [String]
    /// What cannot be converted without guessing, one line each naming the resource and why. When this is not
    /// empty, `files` is empty: the renderer writes nothing rather than code that deploys something else.
    public var unconvertible: [String]

    /// Creates a result; files are sorted by path.
    public init(files: [RenderedFile], warnings: [String], unconvertible: [String] = []) {
        self.files = unconvertible.isEmpty ? files.sorted { $0.path < $1.path } : []
        self.warnings = warnings
        self.unconvertible = unconvertible
    }
}

/// Entry point: graph in, files out. Pure and deterministic: the same graph always gives the same bytes.
public enum Renderer {
    /// Renders `graph` for `target`. Existing resources (an existing landing zone's hub, firewall and DNS zones)
    /// are not emitted: references to them are literal IDs. The rule collection groups the graph puts on an
    /// existing firewall policy go to a separate artefact for the platform team, under `platform-team/`.
    public static func render(_ graph: ResourceGraph, target: RenderTarget) -> RenderResult {
        let context = RenderContext(designed: graph)
        let unconvertible = context.unconvertible
        if !unconvertible.isEmpty { return RenderResult(files: [], warnings: [], unconvertible: unconvertible) }
        var result = switch target {
        case .terraform: TerraformRenderer(context: context).render()
        case .arm: ARMRenderer(context: context).render()
        case .bicep: BicepRenderer(context: context).render()
        }
        let platform = PlatformTeamArtefact(graph: graph).files(target)
        if !platform.isEmpty { result = RenderResult(files: result.files + platform, warnings: result.warnings) }
        return result
    }
}
