/// A string-valued enumeration in a scenario file. Decoding reports an unknown value at its
/// position with the accepted values and a suggestion.
public protocol ScenarioEnum: RawRepresentable, CaseIterable, Codable where RawValue == String {}

extension ScenarioEnum {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = Self(rawValue: text) else {
            let names = Self.allCases.map(\.rawValue)
            let hint = didYouMean(text, among: names)
            throw decoder.scenarioError("unknown value '\(text)' for \(decoder.scenarioPath)\(hint); expected one of \(names.joined(separator: ", "))")
        }
        self = v
    }
}
