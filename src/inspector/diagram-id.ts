/** A state's id in every diagram (Mermaid, DOT, the inspector's SVG): its XState id with each non-alphanumeric as `_`. */
export const diagramId = (stateId: string): string => stateId.replace(/[^A-Za-z0-9]/g, '_');
