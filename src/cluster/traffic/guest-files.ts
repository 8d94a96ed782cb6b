/** Where one experiment keeps its state inside the guests: named by the experiment, so a retry finds it. */
export function experimentFiles(experimentId: string) {
  const base = `/tmp/${experimentId}`;
  return {
    serverLog: `${base}-iperf3-server.log`,
    serverPid: `${base}-iperf3-server.pid`,
    clientJson: `${base}-iperf3.json`,
    clientPid: `${base}-iperf3.pid`,
    pingLog: `${base}-ping.log`,
    pingPid: `${base}-ping.pid`,
  };
}
export type ExperimentFiles = ReturnType<typeof experimentFiles>;
