// Reads OpenQASM 2 on stdin, runs it in the npm package quantum-circuit (MIT), prints the state
// vector as JSON [[re, im], ...], index = basis state. Used by QuantumCircuitJsCrossCheckTest.
const QuantumCircuit = require('quantum-circuit');
let src = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => { src += d; });
process.stdin.on('end', () => {
  const circuit = new QuantumCircuit();
  circuit.importQASM(src, errors => {
    if (errors && errors.length) {
      console.error(JSON.stringify(errors));
      process.exit(2);
    }
  });
  circuit.run();
  const n = circuit.numAmplitudes();
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = circuit.state[i];
    out.push(a ? [a.re, a.im] : [0, 0]);
  }
  process.stdout.write(JSON.stringify({ qubits: circuit.numQubits, state: out }));
});
