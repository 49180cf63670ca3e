// `proofpath erp`: runs the development ERP/TMS service (budget holds, purchase orders, tenders) with its journal.
import { startBackOffice } from '../../back-office';
import type { Command } from '../command';

export const erpCommand: Command = {
  name: 'erp',
  summary: 'run the development ERP/TMS service (purchase orders, budget holds, load tenders)',
  async run({ config, logger }) {
    // A stand-in for a real ERP: production should point the clients at the real system instead.
    if (config.mode === 'production') logger.warn('the development ERP/TMS service is running in production mode');
    const service = await startBackOffice({ config, logger });
    return () => service.close();
  },
};
