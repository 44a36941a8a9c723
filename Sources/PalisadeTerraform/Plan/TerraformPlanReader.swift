import Foundation
import PalisadeModel

/// Reads `terraform show -json` output (plans and states) into the same graph as configurations.
enum TerraformPlanReader {
    static func looksLikePlan(_ path: String) -> Bool { false }

    static func read(_ path: String, options: TerraformOptions) -> TerraformReadResult {
        TerraformReadResult(graph: ResourceGraph(), diagnostics: Diagnostics(), assumptions: [], addresses: [])
    }
}
