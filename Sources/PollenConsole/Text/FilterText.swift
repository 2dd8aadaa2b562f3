import Foundation

/// What the operator typed after `/`, as the filters compare it: trimmed and lower-cased;
/// `nil` when nothing is left (no filter).
enum FilterText {
    static func normalized(_ text: String?) -> String? {
        let trimmed = text?.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed?.isEmpty == false ? trimmed : nil
    }
}
