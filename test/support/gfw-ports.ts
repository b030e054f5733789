import path from 'node:path';
import { DEFAULT_PROFILE, createPortIndex, type PortIndex } from '@rendezvous/detection';
import { loadPortsFile } from '@rendezvous/geography';
import { SHARED_DATA } from './harness.ts';

/** GFW's two port lists from ../shared/data, as a deployment would name them in PORTS_FILE. */
export async function loadGfwPorts(): Promise<PortIndex> {
  const points = [
    ...(await loadPortsFile(path.join(SHARED_DATA, 'anchorages-gfw/WPI_ports.csv'))).points,
    ...(await loadPortsFile(path.join(SHARED_DATA, 'anchorages-gfw/anchorage_overrides.csv'))).points,
  ];
  return createPortIndex(points, DEFAULT_PROFILE.portRadiusM);
}
